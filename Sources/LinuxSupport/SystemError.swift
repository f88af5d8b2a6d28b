#if canImport(Glibc)
import Glibc
#endif

/// A failed system call, carrying the errno, the operation and (when there is one) the path involved,
/// so every error a user sees names what failed: `open /var/lib/rkt/cas/db: Permission denied`.
public struct SystemError: Error, CustomStringConvertible, Equatable, Sendable {
    public let errno: Int32
    public let operation: String
    public let path: String?

    public init(errno: Int32, operation: String, path: String? = nil) {
        self.errno = errno
        self.operation = operation
        self.path = path
    }

    /// Captures the calling thread's current errno.
    public static func current(_ operation: String, path: String? = nil) -> SystemError {
        SystemError(errno: Glibc.errno, operation: operation, path: path)
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        if let path { return "\(operation) \(path): \(reason)" }
        return "\(operation): \(reason)"
    }
}

/// Retries a system call while it fails with EINTR; throws `SystemError` on any other failure.
@discardableResult
public func retryingOnInterrupt<T: BinaryInteger>(
    _ operation: String, path: String? = nil, _ body: () -> T
) throws -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        if Glibc.errno == EINTR { continue }
        throw SystemError.current(operation, path: path)
    }
}
