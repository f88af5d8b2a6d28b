import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// Interrupts every vCPU thread at a fixed interval so that each records where its guest was
/// (`GuestRipHistogram`): a sampling profile of guest code, for `rkt-vmm --guest-profile`.
///
/// It uses its own signal, installed with SA_RESTART: KVM_RUN still returns EINTR on it (KVM never restarts
/// it), while any other system call the vCPU thread is in (a console write, a lock) is restarted as if
/// nothing had happened. A signal that arrives while the thread is outside KVM_RUN (handling an exit) is
/// consumed by the empty handler: that sample is skipped.
final class GuestSampler: @unchecked Sendable {
    static let signal = SIGUSR2
    let intervalMicroseconds: Int
    private let lock = ThreadLock()
    private var stopped = false
    private var thread: HostThread?

    init(intervalMicroseconds: Int) {
        precondition(intervalMicroseconds > 0, "a sampling interval must be positive")
        self.intervalMicroseconds = intervalMicroseconds
    }

    /// Starts signalling `targets` (the vCPU threads) until `stop()`.
    func start(signalling targets: [HostThread]) throws {
        VcpuKickSignal.installEmptyHandler(for: Self.signal, flags: SA_RESTART)
        let interval = timespec(tv_sec: intervalMicroseconds / 1_000_000,
                                tv_nsec: (intervalMicroseconds % 1_000_000) * 1000)
        thread = try HostThread(name: "guest-sampler") { [self] in
            while !lock.withLock({ stopped }) {
                var request = interval, remaining = timespec()
                while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
                for target in targets { target.signal(Self.signal) }
            }
        }
    }

    func stop() {
        lock.withLock { stopped = true }
        thread?.join()
        thread = nil
    }
}
