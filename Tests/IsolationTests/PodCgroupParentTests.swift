import AppC
import Foundation
import XCTest
@testable import Isolation

/// RKT_CGROUP_PARENT: which parents are taken, and pods created and removed below one (a fake v1 and v2
/// hierarchy in a temporary directory: no root needed).
final class PodCgroupParentTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "cgroup-parent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testParentFromTheEnvironment() throws {
        XCTAssertEqual(try PodCgroup.parent(environmentValue: nil), "rkt")
        XCTAssertEqual(try PodCgroup.parent(environmentValue: ""), "rkt")
        XCTAssertEqual(try PodCgroup.parent(environmentValue: "/machine.slice/rkt-test-1/"), "machine.slice/rkt-test-1")
        XCTAssertEqual(try PodCgroup.parent(environmentValue: "ci@host:42"), "ci@host:42")
        for bad in ["../system.slice", "a/../b", "a//b", "a/./b", "a b", "a\nb", String(repeating: "a/", count: 9) + "a",
                    String(repeating: "x", count: 256)] {
            XCTAssertThrowsError(try PodCgroup.parent(environmentValue: bad), bad) {
                XCTAssertTrue("\($0)".contains("RKT_CGROUP_PARENT="), "\($0)")
            }
        }
        XCTAssertEqual(PodCgroup.subcgroup(uuid: "u", parent: "a/b"), "a/b/u")
    }

    func testCreateAndRemoveBelowANestedParentOnV1() throws {
        let v1 = directory + "/v1"
        for controller in ["memory", "cpu", "pids"] {
            try FileManager.default.createDirectory(atPath: v1 + "/" + controller, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: v1 + "/" + controller + "/cgroup.procs", contents: Data())
        }
        let uuid = UUID().uuidString.lowercased()
        let cgroup = try PodCgroup.create(uuid: uuid, parent: "suite/run-1", apps: [CgroupRequest(app: "web", isolators: [])],
                                          in: .v1(root: v1))
        XCTAssertEqual(cgroup.subcgroup, "suite/run-1/" + uuid)
        XCTAssertEqual(cgroup.podDirectories, ["memory", "cpu", "pids"].map { "\(v1)/\($0)/suite/run-1/\(uuid)" })
        for controller in ["memory", "cpu", "pids"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(v1)/\(controller)/suite/run-1/\(uuid)/app-web"))
        }
        XCTAssertEqual(try PodCgroup.remove(subcgroup: cgroup.subcgroup, in: .v1(root: v1)), 9)
        for controller in ["memory", "cpu", "pids"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(v1)/\(controller)/suite/run-1/\(uuid)"))
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(v1)/\(controller)/suite/run-1"), "the parent is its owner's")
        }
        XCTAssertThrowsError(try PodCgroup.create(uuid: uuid, parent: "../escape", apps: [], in: .v1(root: v1)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/escape"))
    }

    func testGcTakesARecordedParentButNotAForeignPath() throws {
        let uuid = "0f5e2c3a-1b2c-4d5e-8f90-123456789abc"
        let file = directory + "/subcgroup"
        for foreign in ["../../system.slice", "rkt/other-pod", "../\(uuid)", "/\(uuid)", uuid] {
            try Data(foreign.utf8).write(to: URL(fileURLWithPath: file))
            XCTAssertThrowsError(try PodCgroup.removeRecorded(subcgroupFile: file, uuid: uuid), foreign) {
                XCTAssertTrue("\($0)".contains("not this pod's cgroup"), "\($0)")
            }
        }
    }
}
