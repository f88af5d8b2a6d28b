import GuestProtocol

/// One guest → host connection as the host sees it: unnamed until its first line says what it carries
/// (`control`, `stdout APP`, `stderr APP`), then control messages or an app's raw output.
struct GuestStream {
    enum Role: Equatable {
        case control
        case output(app: String, standardError: Bool)
    }

    let descriptor: Int32
    var role: Role?
    /// Bytes not yet consumed: a partial first line or control message, or (for prefixed output) a partial line.
    var pending: [UInt8] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Takes the complete lines out of `pending` (at most `maximumLength` bytes each; a longer one is an error).
    mutating func takeLines() throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            lines.append(Array(pending[..<newline]))
            pending.removeSubrange(...newline)
        }
        guard pending.count <= GuestRecordLine.maximumLength else {
            throw KvmError("guest sent a control line longer than \(GuestRecordLine.maximumLength) bytes")
        }
        return lines
    }
}
