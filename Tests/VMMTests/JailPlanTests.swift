import XCTest
@testable import VMM

/// `VMMJailPlan`: what the jail's root holds, from paths alone.
final class JailPlanTests: XCTestCase {
    /// stage1-kvm's case: a socket relative to the pod directory.
    func testRelativeSocketBindsItsDirectoryAndKeepsTheWorkingDirectory() throws {
        let plan = try VMMJailPlan(workingDirectory: "/var/lib/rkt/pods/run/UUID", socketPaths: ["kvm/vsock"])
        XCTAssertEqual(plan.boundDirectories, ["/var/lib/rkt/pods/run/UUID/kvm"])
        XCTAssertEqual(plan.workingDirectory, "/var/lib/rkt/pods/run/UUID")
        XCTAssertEqual(plan.directoriesToCreate, ["/var", "/var/lib", "/var/lib/rkt", "/var/lib/rkt/pods",
                                                  "/var/lib/rkt/pods/run", "/var/lib/rkt/pods/run/UUID",
                                                  "/var/lib/rkt/pods/run/UUID/kvm"])
    }

    func testAbsoluteSocketAndAnUnrelatedWorkingDirectory() throws {
        let plan = try VMMJailPlan(workingDirectory: "/home/u", socketPaths: ["/run//rkt/./vm/vsock"])
        XCTAssertEqual(plan.boundDirectories, ["/run/rkt/vm"])
        XCTAssertEqual(plan.workingDirectory, "/home/u")
        XCTAssertEqual(Set(plan.directoriesToCreate), ["/run", "/run/rkt", "/run/rkt/vm", "/home", "/home/u"])
        let depths = plan.directoriesToCreate.map { $0.split(separator: "/").count }
        XCTAssertEqual(depths, depths.sorted(), "ancestors come first")
    }

    func testNoSocketsGiveAnEmptyRootWithTheWorkingDirectoryOnly() throws {
        let plan = try VMMJailPlan(workingDirectory: "/srv/vm", socketPaths: [])
        XCTAssertEqual(plan.boundDirectories, [])
        XCTAssertEqual(plan.directoriesToCreate, ["/srv", "/srv/vm"])
        let root = try VMMJailPlan(workingDirectory: "/", socketPaths: [])
        XCTAssertEqual(root.workingDirectory, "/")
        XCTAssertEqual(root.directoriesToCreate, [])
    }

    /// A working directory inside the bound directory exists there: nothing is created under the mount point
    /// (that would write into the host's directory).
    func testWorkingDirectoryInsideTheBoundDirectoryIsNotCreated() throws {
        let plan = try VMMJailPlan(workingDirectory: "/pod/kvm/sub", socketPaths: ["/pod/kvm/vsock"])
        XCTAssertEqual(plan.boundDirectories, ["/pod/kvm"])
        XCTAssertEqual(plan.directoriesToCreate, ["/pod", "/pod/kvm"])
        XCTAssertEqual(plan.workingDirectory, "/pod/kvm/sub")
        let same = try VMMJailPlan(workingDirectory: "/pod/kvm", socketPaths: ["vsock"])
        XCTAssertEqual(same.boundDirectories, ["/pod/kvm"])
        XCTAssertEqual(same.directoriesToCreate, ["/pod", "/pod/kvm"])
    }

    func testNestedAndRepeatedDirectoriesAreBoundOnce() throws {
        let plan = try VMMJailPlan(workingDirectory: "/w", socketPaths: ["/a/b/c/s1", "/a/b/s2", "/a/b/s3", "/z/s4"])
        XCTAssertEqual(plan.boundDirectories, ["/a/b", "/z"])
        XCTAssertFalse(plan.directoriesToCreate.contains("/a/b/c"), "never a mount point inside a bound directory")
    }

    /// Paths that would bind the whole host root, or whose meaning depends on symlinks, are refused by name.
    func testHostilePathsAreRefused() {
        func refused(_ working: String, _ sockets: [String]) -> VMMJailError? {
            do {
                _ = try VMMJailPlan(workingDirectory: working, socketPaths: sockets)
                return nil
            } catch { return error as? VMMJailError }
        }
        XCTAssertEqual(refused("/", ["vsock"]), .socketDirectoryIsRoot("vsock"))
        XCTAssertEqual(refused("/w", ["/vsock"]), .socketDirectoryIsRoot("/vsock"))
        XCTAssertEqual(refused("/w", ["/"]), .socketIsRoot("/"))
        XCTAssertEqual(refused("/w", ["."]), .socketDirectoryIsRoot("."))
        XCTAssertEqual(refused("/w", ["../x/vsock"]), .parentComponent("../x/vsock"))
        XCTAssertEqual(refused("/w/../etc", ["kvm/vsock"]), .parentComponent("/w/../etc"))
        XCTAssertEqual(refused("w", ["kvm/vsock"]), .relativeWorkingDirectory("w"))
        XCTAssertEqual(refused("/w", [""]), .emptySocketPath)
        XCTAssertEqual(refused("/w", ["kvm/vs\u{0}ock"]), .nulByte("kvm/vs\u{0}ock"))
        XCTAssertTrue("\(VMMJailError.socketDirectoryIsRoot("/vsock"))".contains("/vsock"))
    }

    func testThreadCountIsReadFromProcStatus() throws {
        let status = Array("Name:\trkt-vmm\nUmask:\t0022\nThreads:\t3\nSigQ:\t0/1\n".utf8)
        XCTAssertEqual(try VMMJail.threadCount(status: status), 3)
        XCTAssertThrowsError(try VMMJail.threadCount(status: Array("Name:\tx\n".utf8)))
        XCTAssertEqual(try VMMJail.threadCount(status: HostFile.read("/proc/self/status")) >= 1, true)
    }
}
