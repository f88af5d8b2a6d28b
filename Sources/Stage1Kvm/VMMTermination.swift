import Glibc

/// How the pod's VMM process ended, from its wait status, with the sentence stage1 reports. A death by SIGSYS
/// is the VMM's seccomp filter (`rkt-vmm --seccomp kill`) killing it for a system call outside its allowlist.
enum VMMTermination: Equatable, CustomStringConvertible {
    case exited(Int32)
    case killed(signal: Int32)

    /// From a waitpid status word.
    init(waitStatus: Int32) {
        let signal = waitStatus & 0x7F
        self = signal == 0 ? .exited((waitStatus >> 8) & 0xFF) : .killed(signal: signal)
    }

    /// The shell's convention: the exit status, or 128 + the signal.
    var status: Int32 {
        switch self {
        case let .exited(status): return status
        case let .killed(signal): return 128 + signal
        }
    }

    var isSeccompViolation: Bool { self == .killed(signal: SIGSYS) }

    var description: String {
        switch self {
        case let .exited(status):
            return "rkt-vmm exited with status \(status)"
        case .killed(signal: SIGSYS):
            return "rkt-vmm was killed by its seccomp filter (SIGSYS): it made a system call outside its allowlist " +
                "(a VMM bug, or a guest steering a device into an untested path); the kernel's audit log " +
                "(dmesg: type=1326 ... syscall=N) names the call"
        case let .killed(signal):
            return "rkt-vmm was killed by signal \(Self.name(of: signal))"
        }
    }

    /// "SIGSEGV (11)"; the number alone for signals without a name here (real-time ones).
    static func name(of signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
            SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
            SIGSTKFLT: "SIGSTKFLT", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGVTALRM: "SIGVTALRM",
            SIGPROF: "SIGPROF", SIGIO: "SIGIO", SIGPWR: "SIGPWR", SIGSYS: "SIGSYS",
        ]
        return names[signal].map { "\($0) (\(signal))" } ?? "\(signal)"
    }
}
