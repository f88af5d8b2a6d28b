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
}
