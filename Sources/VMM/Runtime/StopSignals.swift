import CKVM
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// Turns termination signals (SIGTERM, SIGINT, SIGHUP) into a clean machine stop: they are blocked for the
/// process and read from a signalfd in the event loop, so the VMM joins its vCPUs and the caller can
/// restore the terminal and report the exit. Created before the vCPU threads, which inherit the mask.
final class StopSignals {
    let descriptor: Int32
    let signals: [Int32]

    init(_ signals: [Int32]) throws {
        self.signals = signals
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals { sigaddset(&mask, signal) }
        let result = pthread_sigmask(SIG_BLOCK, &mask, nil)
        guard result == 0 else { throw SystemError(errno: result, operation: "pthread_sigmask") }
        descriptor = try retryingOnInterrupt("signalfd") { signalfd(-1, &mask, Int32(SFD_CLOEXEC | SFD_NONBLOCK)) }
    }

    deinit { close(descriptor) }

    /// The number of the next pending signal, or nil.
    func next() -> Int32? {
        var info = signalfd_siginfo()
        let count = read(descriptor, &info, MemoryLayout<signalfd_siginfo>.size)
        return count == MemoryLayout<signalfd_siginfo>.size ? Int32(info.ssi_signo) : nil
    }
}
