import Glibc

/// A failure with a message written for the user.
struct KvmError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// How the kvm stage1 reports a failure: one `stage1-kvm: …` line on stderr and exit status 254, the
/// status rkt uses for its own failures (an app's own exit status is passed through unchanged).
enum KvmFailure {
    static let status: Int32 = 254

    static func exit(_ message: String) -> Never {
        warn(message)
        Glibc.exit(status)
    }

    static func warn(_ message: String) {
        let line = "stage1-kvm: \(message)\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
}
