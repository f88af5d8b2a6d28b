import Foundation
import LinuxSupport
import Isolation
import Pods
@testable import Stage1Namespace
import XCTest

/// The parts of the namespace stage1 that need neither root nor namespaces: cgroup layout detection, /etc
/// files in an image root (symlinks stay inside), argument parsing, hostname checks, gc's refusal of a
/// foreign subcgroup.
final class PodSetupTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "ns-stage1-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testCgroupLayoutDetection() throws {
        XCTAssertNil(CgroupHierarchy.detect(root: directory))
        let v1 = directory + "/v1"
        for controller in ["memory", "cpu,cpuacct", "pids"] {
            try FileManager.default.createDirectory(atPath: v1 + "/" + controller, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: v1 + "/" + controller + "/cgroup.procs", contents: Data())
        }
        XCTAssertEqual(CgroupHierarchy.detect(root: v1), .v1(root: v1))
        XCTAssertEqual(CgroupHierarchy.v1Directory(root: v1, controller: "cpu"), v1 + "/cpu,cpuacct")
        XCTAssertEqual(PodCgroup.bases(.v1(root: v1)), [v1 + "/memory", v1 + "/cpu,cpuacct", v1 + "/pids"])
        let v2 = directory + "/v2"
        try FileManager.default.createDirectory(atPath: v2, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: v2 + "/cgroup.controllers", contents: Data("cpu memory pids\n".utf8))
        XCTAssertEqual(CgroupHierarchy.detect(root: v2), .v2(root: v2))
        XCTAssertEqual(PodCgroup.subcgroup(uuid: "u"), "rkt/u")
    }

    func testEtcFilesStayInsideTheRootAndAddStage0Entries() throws {
        let pod = directory + "/pod", rootfs = directory + "/rootfs", outside = directory + "/outside"
        try FileManager.default.createDirectory(atPath: pod + "/stage1/rootfs/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: rootfs + "/etc", withDestinationPath: "../../outside")
        try Data("192.0.2.7\tdb\n".utf8).write(to: URL(fileURLWithPath: pod + "/stage1/rootfs/etc/rkt-hosts"))
        let etc = try EtcFiles(hostname: "rkt-x", files: PodFiles(directory: pod), hostNetwork: false)
        XCTAssertNil(etc.resolvConf)
        try etc.write(into: rootfs)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [], "the symlink did not lead out")
        XCTAssertEqual(try String(contentsOfFile: rootfs + "/outside/hostname", encoding: .utf8), "rkt-x\n")
        let hosts = try String(contentsOfFile: rootfs + "/outside/hosts", encoding: .utf8)
        XCTAssertTrue(hosts.hasPrefix("127.0.0.1\tlocalhost localhost.localdomain rkt-x\n"), hosts)
        XCTAssertTrue(hosts.hasSuffix("192.0.2.7\tdb\n"), hosts)
    }

    func testEtcFileSymlinksAreReplacedNotFollowed() throws {
        let rootfs = directory + "/rootfs", outside = directory + "/outside"
        try FileManager.default.createDirectory(atPath: rootfs + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: rootfs + "/etc/hostname", withDestinationPath: outside + "/hostname")
        try FileManager.default.createSymbolicLink(atPath: rootfs + "/etc/hosts", withDestinationPath: "/etc/hosts")
        let etc = try EtcFiles(hostname: "rkt-y", files: PodFiles(directory: directory + "/no-pod"), hostNetwork: false)
        try etc.write(into: rootfs)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [])
        let type = try FileManager.default.attributesOfItem(atPath: rootfs + "/etc/hostname")[.type] as? FileAttributeType
        XCTAssertEqual(type, .typeRegular)
        XCTAssertEqual(try String(contentsOfFile: rootfs + "/etc/hostname", encoding: .utf8), "rkt-y\n")
    }

    func testHostnamesAreChecked() {
        XCTAssertTrue(NamespaceRun.isValidHostname("rkt-0f5e-aa"))
        XCTAssertTrue(NamespaceRun.isValidHostname("web.example.com"))
        for bad in ["", "-x", "a b", "a\nb", String(repeating: "a", count: 65), "é"] {
            XCTAssertFalse(NamespaceRun.isValidHostname(bad), bad.debugDescription)
        }
    }

    func testEnterArguments() throws {
        let enter = try NamespaceEnter(arguments: ["--pid=42", "--appname=web", "--", "/bin/sh", "-c", "true"])
        XCTAssertEqual(enter.pid, 42)
        XCTAssertEqual(enter.appName, "web")
        XCTAssertEqual(enter.command, ["/bin/sh", "-c", "true"])
        XCTAssertThrowsError(try NamespaceEnter(arguments: ["--pid=-1", "--", "x"]))
        XCTAssertThrowsError(try NamespaceEnter(arguments: ["--pid=1"]))
    }

    func testGarbageCollectLeavesAForeignSubcgroupAlone() throws {
        let uuid = "0f5e2c3a-1b2c-4d5e-8f90-123456789abc"
        let pod = directory + "/" + uuid
        try FileManager.default.createDirectory(atPath: pod, withIntermediateDirectories: true)
        try Data("../../system.slice".utf8).write(to: URL(fileURLWithPath: pod + "/subcgroup"))
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(pod)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        XCTAssertThrowsError(try NamespaceGarbageCollect(arguments: [uuid]).run()) {
            XCTAssertTrue("\($0)".contains("not this pod's cgroup"), "\($0)")
        }
    }

    func testExitStatusDecoding() {
        XCTAssertEqual(ExitStatus.decode(7 << 8), 7)
        XCTAssertEqual(ExitStatus.decode(SIGKILL), 128 + SIGKILL)
        XCTAssertEqual(ExitStatus.decode(SIGSEGV | 0x80), 128 + SIGSEGV, "core dumped")
    }
}
