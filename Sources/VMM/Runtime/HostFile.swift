import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// Reads whole host files (kernel, initrd) with a size limit, naming the path in every error.
public enum HostFile {
    public static func read(_ path: String, limit: Int = 1 << 30) throws -> [UInt8] {
        let fd = try retryingOnInterrupt("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var info = stat()
        try retryingOnInterrupt("fstat", path: path) { fstat(fd, &info) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw SystemError(errno: EINVAL, operation: "read (not a regular file)", path: path) }
        guard Int(info.st_size) <= limit else { throw SystemError(errno: EFBIG, operation: "read", path: path) }
        // Read to end of file, not just st_size bytes: procfs files (/proc/cpuinfo) report a size of 0.
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size) + 1, 4096))  // +1: EOF without growing
        var done = 0
        while true {
            if done == bytes.count {
                guard bytes.count < limit else { throw SystemError(errno: EFBIG, operation: "read", path: path) }
                bytes += [UInt8](repeating: 0, count: min(bytes.count, limit - bytes.count))
            }
            let n = try bytes.withUnsafeMutableBytes { buffer in
                try retryingOnInterrupt("read", path: path) { Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done) }
            }
            if n == 0 { break }
            done += n
        }
        return Array(bytes.prefix(done))
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
