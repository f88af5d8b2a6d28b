import LinuxSupport

/// Records the first reason a machine stops and wakes whoever waits for it (the event loop).
final class MachineStopLatch: @unchecked Sendable {
    private let lock = ThreadLock()
    private var reason: MachineExit?
    private let onFirstStop: @Sendable () -> Void

    init(onFirstStop: @escaping @Sendable () -> Void) { self.onFirstStop = onFirstStop }

    func stop(_ exit: MachineExit) {
        let first: Bool = lock.withLock {
            guard reason == nil else { return false }
            reason = exit
            return true
        }
        if first { onFirstStop() }
    }

    var isStopped: Bool { lock.withLock { reason != nil } }
    var exit: MachineExit? { lock.withLock { reason } }
}
