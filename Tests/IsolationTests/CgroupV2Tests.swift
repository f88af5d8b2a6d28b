import AppC
import Foundation
import XCTest
@testable import Isolation

/// The pod cgroup's life on a real cgroup v2 hierarchy: /sys/fs/cgroup on v2 hosts, or the `unified` mount of
/// a hybrid v1 host (root only; no process is moved).
final class CgroupV2Tests: XCTestCase {
    func testCreateAndRemoveOnARealV2Hierarchy() throws {
        guard geteuid() == 0 else { throw XCTSkip("creating cgroups needs root") }
        let candidates = ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]
        guard let root = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/cgroup.controllers") }) else {
            throw XCTSkip("no cgroup v2 hierarchy mounted here")
        }
        let uuid = UUID().uuidString.lowercased()
        let controllers = (try? String(contentsOfFile: root + "/cgroup.controllers", encoding: .utf8)) ?? ""
        let limits: [Isolator] = controllers.contains("memory")
            ? [try Isolator(.resourceMemory(ResourceLimits(limit: try ResourceQuantity("64Mi"))))] : []
        // Below a parent of the test's own (two levels, as RKT_CGROUP_PARENT may name), removed at the end.
        let owner = "rkt-test-" + uuid.prefix(8)
        let parent = owner + "/pods"
        defer { rmdir(root + "/" + parent); rmdir(root + "/" + owner) }
        let cgroup = try PodCgroup.create(uuid: uuid, parent: parent, apps: [CgroupRequest(app: "web", isolators: limits)], in: .v2(root: root))
        XCTAssertEqual(cgroup.podDirectories, [root + "/\(parent)/" + uuid])
        for leaf in ["stage1", "app-web"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/\(parent)/\(uuid)/\(leaf)/cgroup.procs"), leaf)
        }
        if !limits.isEmpty {
            XCTAssertEqual(try String(contentsOfFile: root + "/\(parent)/\(uuid)/app-web/memory.max", encoding: .utf8), "67108864\n")
        }
        XCTAssertEqual(try PodCgroup.remove(subcgroup: cgroup.subcgroup, in: .v2(root: root)), 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/\(parent)/" + uuid))
    }
}
