import Glibc
import LinuxSupport

extension String {
    /// A small kernel file's text (cgroup settings), read without Foundation.
    public init(contentsOfFileWithoutFoundation path: String) throws {
        let fd = try retryingOnInterrupt("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw SystemError.current("read", path: path) }
        self = String(decoding: bytes[0..<count], as: UTF8.self).trimmingWhitespace()
    }

    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        return String(scalars)
    }
}
