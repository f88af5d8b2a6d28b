import CSeccomp
import XCTest
@testable import VMM

final class JailTests: XCTestCase {
    /// A misspelt name would silently allow nothing; every name must be an x86_64 system call.
    func testEverySeccompAllowlistNameIsASystemCall() {
        for name in VMMSeccompFilter.allowedSystemCalls {
            XCTAssertNotEqual(seccomp_syscall_resolve_name(name), __NR_SCMP_ERROR, name)
        }
        XCTAssertEqual(Set(VMMSeccompFilter.allowedSystemCalls).count, VMMSeccompFilter.allowedSystemCalls.count)
        for forbidden in ["execve", "open", "openat", "socket", "connect", "ptrace", "mount", "kill"] {
            XCTAssertFalse(VMMSeccompFilter.allowedSystemCalls.contains(forbidden), forbidden)
        }
    }

    /// The vsock additions are real names too, and `socket` is never allowed unconditionally.
    func testUnixSocketAdditionsAreSystemCalls() {
        for name in VMMSeccompFilter.unixSocketSystemCalls {
            XCTAssertNotEqual(seccomp_syscall_resolve_name(name), __NR_SCMP_ERROR, name)
            XCTAssertFalse(VMMSeccompFilter.allowedSystemCalls.contains(name), name)
        }
        XCTAssertFalse(VMMSeccompFilter.unixSocketSystemCalls.contains("socket"))
    }

    /// The jail is built before the filter is loaded: nothing that builds (or leaves) it stays allowed.
    func testNothingThatChangesNamespacesMountsOrCredentialsIsAllowed() {
        let allowed = Set(VMMSeccompFilter.allowedSystemCalls + VMMSeccompFilter.unixSocketSystemCalls)
        let jailCalls = ["unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "chdir", "fchdir", "open_tree",
                         "move_mount", "fsopen", "fsmount", "mount_setattr", "mkdir", "mkdirat", "capset", "prctl",
                         "seccomp", "setuid", "setresuid", "setgid", "ptrace", "process_vm_writev", "bpf", "execveat"]
        XCTAssertEqual(allowed.intersection(jailCalls), [])
    }
}
