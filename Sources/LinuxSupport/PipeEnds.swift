import Glibc

/// The two ends of a close-on-exec pipe.
public struct PipeEnds {
    public let read: Int32
    public let write: Int32

    public static func make() throws -> PipeEnds {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SystemError.current("pipe") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return PipeEnds(read: fds[0], write: fds[1])
    }

    /// What the other end wrote until it closed (at most `limit` bytes), as UTF-8 text: a child's error report.
    public static func readText(from fd: Int32, limit: Int = 65536) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes.prefix(limit), as: UTF8.self)
    }
}
