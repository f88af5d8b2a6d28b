import CLinux
import CSeccomp
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// The system calls the VMM makes once a machine is assembled (vCPU loops, event loop, device I/O, the Swift
/// and glibc runtimes), as a seccomp allowlist. Anything else kills the process (or, in `.log` mode, is
/// allowed and logged by the kernel's audit, which is how this list is kept honest).
public enum VMMSeccompFilter {
    public enum Mode: Sendable { case kill, log }
    static let prSetNoNewPrivileges: Int32 = 38  // PR_SET_NO_NEW_PRIVS, <linux/prctl.h>

    /// Grouped by purpose; names as in the kernel's syscall table (x86_64).
    public static let allowedSystemCalls: [String] = [
        // KVM, device and console I/O.
        "ioctl", "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "lseek",
        "fsync", "fdatasync", "close", "fcntl", "fstat", "newfstatat",
        // Event loop and signals.
        "epoll_wait", "epoll_pwait", "epoll_ctl", "rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
        "restart_syscall",
        // Threads and memory (Swift runtime, malloc, pthread start-up of the vCPU threads).
        "futex", "set_robust_list", "rseq", "sigaltstack", "mmap", "munmap", "mremap",
        "mprotect", "madvise", "brk", "sched_yield", "sched_getaffinity", "getrandom", "membarrier",
        // Time and identity.
        "clock_gettime", "clock_nanosleep", "nanosleep", "gettimeofday", "getpid", "gettid",
        // Leaving.
        "exit", "exit_group",
    ]

    /// Added for the vsock device's hybrid backend: accepting host clients on its Unix socket, connecting to
    /// "PATH_PORT" sockets for the guest, and removing its socket file at exit. `socket` itself is allowed
    /// for AF_UNIX only (an argument rule in `install`).
    public static let unixSocketSystemCalls: [String] = [
        "accept", "accept4", "connect", "recvfrom", "sendto", "shutdown", "unlink",
    ]
    static let addressFamilyUnix: UInt64 = 1  // AF_UNIX

    /// Allowed only with an argument rule (`install`): `tgkill` to this process's own threads (the vCPU kick;
    /// the VMM keeps uid 0, which could otherwise signal every root process), `clone` for threads only and
    /// without new namespaces, and `clone3` refused with ENOSYS (its flags are in memory a filter cannot
    /// read; glibc's pthread_create then falls back to `clone`).
    public static let restrictedSystemCalls: [String] = ["tgkill", "clone", "clone3"]
    static let cloneThread: UInt64 = 0x0001_0000          // CLONE_THREAD, <linux/sched.h>
    /// CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET
    static let cloneNewNamespaces: UInt64 = 0x7E02_0000
    static let enosys: UInt32 = 38
    static func errnoAction(_ errno: UInt32) -> UInt32 { 0x0005_0000 | (errno & 0xFFFF) }  // SCMP_ACT_ERRNO(errno)

    /// Loads the filter for every thread of the process (TSYNC) with no_new_privs set. `allowUnixSockets`
    /// adds `unixSocketSystemCalls` and `socket(AF_UNIX, ...)` (the vsock device).
    public static func install(mode: Mode, allowUnixSockets: Bool = false) throws {
        try retryingOnInterrupt("prctl PR_SET_NO_NEW_PRIVS") { clinux_prctl(prSetNoNewPrivileges, 1, 0, 0, 0) }
        let defaultAction: UInt32 = mode == .kill ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_LOG
        guard let filter = seccomp_init(defaultAction) else {
            throw SystemError(errno: 12, operation: "seccomp_init")
        }
        defer { seccomp_release(filter) }
        try check(seccomp_attr_set(filter, SCMP_FLTATR_CTL_TSYNC, 1), "seccomp_attr_set TSYNC")
        for name in allowedSystemCalls {
            let number = seccomp_syscall_resolve_name(name)
            guard number != __NR_SCMP_ERROR else { continue }  // not a syscall on this architecture
            try check(seccomp_rule_add_array(filter, SCMP_ACT_ALLOW, number, 0, nil), "seccomp_rule_add \(name)")
        }
        if allowUnixSockets {
            for name in unixSocketSystemCalls {
                let number = seccomp_syscall_resolve_name(name)
                guard number != __NR_SCMP_ERROR else { continue }
                try check(seccomp_rule_add_array(filter, SCMP_ACT_ALLOW, number, 0, nil), "seccomp_rule_add \(name)")
            }
            var unixOnly = scmp_arg_cmp(arg: 0, op: SCMP_CMP_EQ, datum_a: addressFamilyUnix, datum_b: 0)
            try check(seccomp_rule_add_array(filter, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name("socket"), 1, &unixOnly),
                      "seccomp_rule_add socket(AF_UNIX)")
        }
        var ownProcess = scmp_arg_cmp(arg: 0, op: SCMP_CMP_EQ, datum_a: UInt64(getpid()), datum_b: 0)
        try check(seccomp_rule_add_array(filter, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name("tgkill"), 1, &ownProcess),
                  "seccomp_rule_add tgkill(own process)")
        var threadOnly = scmp_arg_cmp(arg: 0, op: SCMP_CMP_MASKED_EQ, datum_a: cloneNewNamespaces | cloneThread, datum_b: cloneThread)
        try check(seccomp_rule_add_array(filter, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name("clone"), 1, &threadOnly),
                  "seccomp_rule_add clone(thread, no namespaces)")
        try check(seccomp_rule_add_array(filter, errnoAction(enosys), seccomp_syscall_resolve_name("clone3"), 0, nil),
                  "seccomp_rule_add clone3 (ENOSYS)")
        try check(seccomp_load(filter), "seccomp_load")
    }

    private static func check(_ result: Int32, _ operation: String) throws {
        if result < 0 { throw SystemError(errno: -result, operation: operation) }
    }
}
