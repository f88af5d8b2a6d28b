import Foundation
import LinuxSupport

/// Reads and writes the small text files of the stage1 contract (pid, ppid, exit statuses), refusing files
/// larger than a bound so that a hostile pod directory cannot make stage0 read without limit.
public enum SmallFile {
    public static let limit = 64 << 10

    /// The file's text, or nil when it does not exist.
    public static func read(_ path: String, limit: Int = SmallFile.limit) throws -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SystemError.current("open", path: path)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try retryingOnInterrupt("read", path: path) {
                buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
            if bytes.count > limit { throw PodError.invalidFile(path: path, reason: "larger than \(limit) bytes") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A decimal integer file (pid, exit status), or nil when it does not exist.
    public static func readInteger(_ path: String) throws -> Int? {
        guard let text = try read(path, limit: 64) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int(trimmed) else {
            throw PodError.invalidFile(path: path, reason: "\(trimmed.debugDescription) is not a number")
        }
        return value
    }

    public static func writeInteger(_ value: Int, to path: String) throws {
        try AtomicFile.write(Array("\(value)".utf8), to: path, mode: 0o644)
    }
}
