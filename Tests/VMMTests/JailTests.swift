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

    /// Signals and thread creation are allowed only with argument rules, never unconditionally.
    func testSignalAndCloneCallsAreOnlyAllowedWithArgumentRules() {
        for name in VMMSeccompFilter.restrictedSystemCalls {
            XCTAssertNotEqual(seccomp_syscall_resolve_name(name), __NR_SCMP_ERROR, name)
        }
        let unconditional = Set(VMMSeccompFilter.allowedSystemCalls + VMMSeccompFilter.unixSocketSystemCalls)
        XCTAssertEqual(unconditional.intersection(VMMSeccompFilter.restrictedSystemCalls + ["tkill", "kill", "pidfd_send_signal",
                                                                                            "rt_sigqueueinfo", "rt_tgsigqueueinfo", "fork", "vfork"]), [])
        XCTAssertEqual(VMMSeccompFilter.errnoAction(38), 0x0005_0026)
        XCTAssertEqual(VMMSeccompFilter.cloneNewNamespaces & VMMSeccompFilter.cloneThread, 0)
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
