#if canImport(Glibc)
import Glibc
#endif
import CLinux
import LinuxSupport

/// Non-blocking, close-on-exec AF_UNIX stream sockets by path: the only place the vsock backend builds a
/// `sockaddr_un`. Paths longer than `sun_path` are refused instead of truncated.
enum UnixStreamSocket {
    private static let socketFlags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        | Int32(SOCK_CLOEXEC.rawValue)

    /// A listening socket bound at `path` (which must not exist yet).
    static func listen(at path: String, backlog: Int32 = 64) throws -> Int32 {
        let descriptor = try retryingOnInterrupt("socket", path: path) { socket(AF_UNIX, socketFlags, 0) }
        do {
            _ = try withAddress(of: path) { address, length in
                try retryingOnInterrupt("bind", path: path) { bind(descriptor, address, length) }
            }
            try retryingOnInterrupt("listen", path: path) { Glibc.listen(descriptor, backlog) }
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        return descriptor
    }

    /// A socket connected to the listener at `path`. A full backlog (EAGAIN) is a failure like ECONNREFUSED.
    static func connect(to path: String) throws -> Int32 {
        let descriptor = try retryingOnInterrupt("socket", path: path) { socket(AF_UNIX, socketFlags, 0) }
        do {
            _ = try withAddress(of: path) { address, length in
                try retryingOnInterrupt("connect", path: path) { Glibc.connect(descriptor, address, length) }
            }
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Accepts one pending client (non-blocking, close-on-exec), or nil when none waits.
    static func accept(from listener: Int32, path: String) throws -> Int32? {
        while true {
            let descriptor = Glibc.accept(listener, nil, nil)
            if descriptor >= 0 {
                // The VMM never forks after start-up, so setting both flags after accept leaks nothing.
                guard clinux_fcntl_int(descriptor, F_SETFL, O_NONBLOCK) == 0,
                      clinux_fcntl_int(descriptor, F_SETFD, FD_CLOEXEC) == 0 else {
                    let error = SystemError.current("fcntl (accepted client)", path: path)
                    Glibc.close(descriptor)
                    throw error
                }
                return descriptor
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, ECONNABORTED: return nil
            default: throw SystemError.current("accept", path: path)
            }
        }
    }

    private static func withAddress<R>(
        of path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R
    ) throws -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity, !bytes.contains(0) else {
            throw VsockConfigurationError.socketPathTooLong(path)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
