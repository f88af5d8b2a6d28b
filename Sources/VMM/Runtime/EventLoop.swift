import CKVM
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// An epoll loop for the VMM's I/O: ioeventfd kicks become queue notifications, stdin becomes console input.
/// Handlers run on the loop's thread. `stop()` may be called from any thread.
public final class EventLoop: @unchecked Sendable {
    public typealias Handler = () -> Void
    private let epollFd: Int32
    private let wake: EventFd
    private var handlers: [Int32: Handler] = [:]
    private let lock = ThreadLock()
    private var stopRequested = false

    public init() throws {
        epollFd = try retryingOnInterrupt("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        wake = try EventFd()
        try add(wake.descriptor) {}
    }

    deinit { close(epollFd) }

    /// Calls `handler` whenever `descriptor` is readable (level-triggered: the handler must drain it, or
    /// `remove` it at end of file).
    public func add(_ descriptor: Int32, handler: @escaping Handler) throws {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = descriptor
        lock.withLock { handlers[descriptor] = handler }
        try retryingOnInterrupt("epoll_ctl", path: "fd \(descriptor)") { epoll_ctl(epollFd, EPOLL_CTL_ADD, descriptor, &event) }
    }

    public func remove(_ descriptor: Int32) {
        _ = epoll_ctl(epollFd, EPOLL_CTL_DEL, descriptor, nil)
        lock.withLock { _ = handlers.removeValue(forKey: descriptor) }
    }

    /// Runs until `stop()`.
    public func run() throws {
        var events = [epoll_event](repeating: epoll_event(), count: 16)
        while !lock.withLock({ stopRequested }) {
            let count = epoll_wait(epollFd, &events, Int32(events.count), -1)
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("epoll_wait")
            }
            for event in events.prefix(Int(count)) {
                let fd = event.data.fd
                if fd == wake.descriptor {
                    _ = try? wake.drain()
                    continue
                }
                if let handler = lock.withLock({ handlers[fd] }) { handler() }
            }
        }
    }

    public func stop() {
        lock.withLock { stopRequested = true }
        try? wake.signal()
    }
}
