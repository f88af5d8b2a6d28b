import AppC
import XCTest
@testable import Isolation

final class SeccompPolicyTests: XCTestCase {
    func testDefaultIsRktsWhitelistKilling() throws {
        let policy = try XCTUnwrap(try SeccompPolicy.make(isolators: [], app: "a"))
        XCTAssertEqual(policy.mode, .retain)
        XCTAssertNil(policy.errno)
        XCTAssertTrue(policy.syscalls.contains(0), "read is allowed")
        XCTAssertTrue(policy.syscalls.contains(59), "execve is allowed")
        XCTAssertFalse(policy.syscalls.contains(165), "mount is not")
        XCTAssertFalse(policy.syscalls.contains(101), "ptrace is not")
    }

    func testRemoveSetWithErrnoAndOptOut() throws {
        let removal = try XCTUnwrap(try SeccompPolicy.make(
            isolators: [try Isolator(.seccompRemoveSet(SeccompSet(syscalls: ["chmod", "@docker/default-blacklist"], errno: "EXDEV")))], app: "a"))
        XCTAssertEqual(removal.mode, .remove)
        XCTAssertEqual(removal.errno, EXDEV)
        XCTAssertTrue(removal.syscalls.contains(90), "chmod")
        XCTAssertTrue(removal.syscalls.contains(165), "mount, from the blacklist group")
        XCTAssertNil(try SeccompPolicy.make(isolators: [try Isolator(.seccompRetainSet(SeccompSet(syscalls: ["@appc.io/all"])))], app: "a"))
        let empty = try XCTUnwrap(try SeccompPolicy.make(
            isolators: [try Isolator(.seccompRemoveSet(SeccompSet(syscalls: ["@appc.io/empty"])))], app: "a"))
        XCTAssertEqual(empty.mode, .retain, "@appc.io/empty opts into the default whitelist")
    }

    func testUnknownNamesAreRefused() {
        func refused(_ set: SeccompSet, _ text: String, line: UInt = #line) {
            XCTAssertThrowsError(try SeccompPolicy.make(isolators: [try Isolator(.seccompRetainSet(set))], app: "a"), line: line) {
                XCTAssertTrue("\($0)".contains(text), "\($0)", line: line)
            }
        }
        refused(SeccompSet(syscalls: ["not_a_syscall"]), "unknown syscall \"not_a_syscall\"")
        refused(SeccompSet(syscalls: ["@rkt/everything"]), "unknown seccomp group")
        refused(SeccompSet(syscalls: ["read"], errno: "EWHATEVER"), "EWHATEVER")
    }

    func testGroupsHoldOnlyWellFormedNames() {
        for group in ["@rkt/default-whitelist", "@docker/default-whitelist", "@rkt/default-blacklist"] {
            let members = SyscallGroups.members(of: group) ?? []
            XCTAssertFalse(members.isEmpty)
            XCTAssertEqual(Set(members).count, members.count, "\(group) has no duplicates")
            XCTAssertTrue(members.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } })
        }
        XCTAssertTrue(Set(SyscallGroups.dockerWhitelist).isDisjoint(with: SyscallGroups.dockerBlacklist))
    }
}
