import Foundation

/// Open file descriptors of this process.
enum Descriptors {
    /// Marks every descriptor above `lowest` close-on-exec, so the apps inherit only stdio: the pod lock and
    /// the tree locks stay with stage1.
    static func closeOnExecAbove(_ lowest: Int32) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = Int32(name), fd > lowest else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
