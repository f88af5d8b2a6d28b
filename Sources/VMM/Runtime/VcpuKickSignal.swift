#if canImport(Glibc)
import Glibc
#endif

/// The signal that interrupts a vCPU thread blocked in KVM_RUN (which then returns EINTR). Its handler does
/// nothing; it is installed without SA_RESTART so the ioctl is not restarted.
enum VcpuKickSignal {
    static let number = SIGUSR1

    static func install() { installEmptyHandler(for: number, flags: 0) }

    /// A handler that does nothing for `signal`: its only effect is to interrupt a blocking system call
    /// (KVM_RUN returns EINTR whatever `flags` say; with SA_RESTART other calls are restarted).
    static func installEmptyHandler(for signal: Int32, flags: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = flags
        sigaction(signal, &action, nil)
    }
}
