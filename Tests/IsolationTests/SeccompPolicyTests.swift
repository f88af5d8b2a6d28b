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

    func testFilterDecidesEveryCallLikeThePolicyWithinAFewInstructions() throws {
        let x86_64: UInt32 = 0xC000_003E  // AUDIT_ARCH_X86_64
        let whitelist = try XCTUnwrap(try SeccompPolicy.make(isolators: [], app: "a"))
        let removal = try XCTUnwrap(try SeccompPolicy.make(
            isolators: [try Isolator(.seccompRemoveSet(SeccompSet(syscalls: ["@docker/default-blacklist"], errno: "EPERM")))], app: "a"))
        for (policy, listed, unlisted) in [(whitelist, SeccompPolicy.actionAllow, SeccompPolicy.actionKillProcess),
                                           (removal, SeccompPolicy.actionErrno(EPERM), SeccompPolicy.actionAllow)] {
            let program = try ClassicSeccompProgram(try policy.bpfProgram())
            var longest = 0
            for number in Int32(0)..<460 {
                let (action, steps) = try program.run(syscall: number, architecture: x86_64)
                XCTAssertEqual(action, policy.syscalls.contains(number) ? listed : unlisted, "syscall \(number), \(policy.mode)")
                longest = max(longest, steps)
            }
            // A chain of comparisons would take up to one step per listed call (~300 for the whitelist).
            XCTAssertLessThanOrEqual(longest, 24, "\(policy.mode) of \(policy.syscalls.count) calls: a binary search")
            XCTAssertNotEqual(try program.run(syscall: 0, architecture: 0x4000_0003).action, SeccompPolicy.actionAllow,
                              "another architecture is not allowed through")
        }
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
