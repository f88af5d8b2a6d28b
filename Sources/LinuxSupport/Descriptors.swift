import Glibc

/// Open file descriptors of this process.
public enum Descriptors {
    /// Marks every descriptor above `lowest` close-on-exec, so a program started later inherits only stdio
    /// (a stage1 keeps the pod lock and the tree locks to itself).
    public static func closeOnExecAbove(_ lowest: Int32) {
        guard let names = try? FileSystem.entries(of: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = Int32(name), fd > lowest else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
