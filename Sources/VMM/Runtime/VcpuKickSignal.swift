#if canImport(Glibc)
import Glibc
#endif

/// The signal that interrupts a vCPU thread blocked in KVM_RUN (which then returns EINTR). Its handler does
/// nothing; it is installed without SA_RESTART so the ioctl is not restarted.
enum VcpuKickSignal {
    static let number = SIGUSR1

    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(number, &action, nil)
    }
}
