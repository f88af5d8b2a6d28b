#if canImport(Glibc)
import Glibc
#endif

/// An advisory `flock(2)` lock held on an open file. The lock is released when the value is released
/// (its descriptor is closed), so a crashed process never leaves a stale lock behind.
public final class FileLock {
    public enum Mode: Sendable { case shared, exclusive }

    public let path: String
    public private(set) var descriptor: Int32

    /// Opens (creating if needed) the lock file at `path` without locking it.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        let flags = O_RDONLY | O_CLOEXEC | (create ? O_CREAT : 0)
        descriptor = try retryingOnInterrupt("open", path: path) { open(path, flags, 0o644) }
    }

    /// Wraps a descriptor that is already open (e.g. a directory or one inherited as RKT_LOCK_FD).
    public init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Takes the lock, waiting for other holders to release it.
    public func lock(_ mode: Mode) throws {
        try retryingOnInterrupt("flock", path: path) { flock(descriptor, Self.operation(mode)) }
    }

    /// Takes the lock if it is free; returns false when another open file description holds it.
    public func tryLock(_ mode: Mode) throws -> Bool {
        while true {
            if flock(descriptor, Self.operation(mode) | LOCK_NB) == 0 { return true }
            switch errno {
            case EINTR: continue
            case EWOULDBLOCK: return false
            default: throw SystemError.current("flock", path: path)
            }
        }
    }

    public func unlock() throws {
        try retryingOnInterrupt("flock", path: path) { flock(descriptor, LOCK_UN) }
    }

    /// Gives up ownership of the descriptor (for handing it to an exec'd child) and returns it.
    public func releaseDescriptor() -> Int32 {
        let fd = descriptor
        descriptor = -1
        return fd
    }

    private static func operation(_ mode: Mode) -> Int32 {
        mode == .shared ? LOCK_SH : LOCK_EX
    }
}
