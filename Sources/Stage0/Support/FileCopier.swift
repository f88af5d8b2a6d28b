import Foundation
import LinuxSupport

/// Copies a file through a temporary sibling of the destination that is fsync'ed and renamed into place, so
/// the destination is either the old file or the complete copy.
enum FileCopier {
    static func copy(from source: String, to destination: String) throws {
        let input = try retryingOnInterrupt("open", path: source) { open(source, O_RDONLY | O_CLOEXEC) }
        defer { close(input) }
        let temporary = destination + ".rkt-tmp-\(getpid())"
        let output = try retryingOnInterrupt("open", path: temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        var done = false
        defer {
            close(output)
            if !done { unlink(temporary) }
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try retryingOnInterrupt("read", path: source) { read(input, &buffer, buffer.count) }
            if count == 0 { break }
            try AtomicFile.writeAll(output, Array(buffer[0..<count]), path: temporary)
        }
        try retryingOnInterrupt("fsync", path: temporary) { fsync(output) }
        try retryingOnInterrupt("rename", path: destination) { rename(temporary, destination) }
        done = true
        try AtomicFile.syncDirectory(containing: destination)
    }
}
