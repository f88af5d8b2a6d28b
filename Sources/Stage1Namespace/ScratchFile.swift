import Glibc
import LinuxSupport

/// Writes files that need to be whole but not durable (they describe a running pod and mean nothing after a
/// crash: /etc files in an app's overlay, `subcgroup`): a temporary file next to the target, renamed over it
/// (which replaces a symlink rather than following it), without the fsyncs of `AtomicFile` — each of those
/// costs milliseconds on every pod start.
enum ScratchFile {
    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary) // a leftover (or an image's file of that name) is replaced, never followed
        let fd = try retryingOnInterrupt("create", path: temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        var failure: Error?
        do {
            try AtomicFile.writeAll(fd, Array(text.utf8), path: temporary)
            if fchmod(fd, mode) != 0 { failure = SystemError.current("chmod", path: temporary) }
        } catch {
            failure = error
        }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = SystemError.current("rename onto", path: path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }
}
