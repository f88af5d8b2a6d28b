#if canImport(Glibc)
import Glibc
#endif

/// Writes whole files so that readers see either the old content or the new one, never a torn file:
/// the bytes go to a temporary file in the same directory, are fsync'ed, and the temporary file is renamed
/// over the target, after which the directory itself is fsync'ed.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try retryingOnInterrupt("open", path: temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        }
        var success = false
        defer {
            close(fd)
            if !success { unlink(temporary) }
        }
        try writeAll(fd, bytes, path: temporary)
        try retryingOnInterrupt("fsync", path: temporary) { fsync(fd) }
        try retryingOnInterrupt("rename", path: path) { rename(temporary, path) }
        success = true
        try syncDirectory(containing: path)
    }

    /// Writes every byte of `bytes` to `fd`, continuing after short writes.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = try retryingOnInterrupt("write", path: path) {
                    Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                }
                offset += written
            }
        }
    }

    /// fsyncs the directory that holds `path`, making a rename or creation inside it durable.
    public static func syncDirectory(containing path: String) throws {
        let directory = parentDirectory(of: path)
        let fd = try retryingOnInterrupt("open", path: directory) {
            open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        defer { close(fd) }
        try retryingOnInterrupt("fsync", path: directory) { fsync(fd) }
    }

    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}
