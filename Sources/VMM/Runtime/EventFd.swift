import CKVM
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// An owned Linux eventfd: a 64-bit counter that writers add to and a reader drains, used for irqfd
/// (device → guest interrupt), ioeventfd (guest notify → device) and waking the event loop.
public final class EventFd: @unchecked Sendable {
    public let descriptor: Int32

    public init(nonBlocking: Bool = true) throws {
        descriptor = try retryingOnInterrupt("eventfd") {
            eventfd(0, Int32(EFD_CLOEXEC) | (nonBlocking ? Int32(EFD_NONBLOCK) : 0))
        }
    }

    deinit { close(descriptor) }

    /// Adds `value` to the counter, waking a reader (or injecting an interrupt when registered as irqfd).
    public func signal(_ value: UInt64 = 1) throws {
        var v = value
        _ = try retryingOnInterrupt("write", path: "eventfd") { write(descriptor, &v, 8) }
    }

    /// Reads and resets the counter; nil when it was zero (non-blocking eventfd).
    @discardableResult
    public func drain() throws -> UInt64? {
        var v: UInt64 = 0
        while true {
            if read(descriptor, &v, 8) == 8 { return v }
            if errno == EINTR { continue }
            if errno == EAGAIN { return nil }
            throw SystemError.current("read", path: "eventfd")
        }
    }
}
