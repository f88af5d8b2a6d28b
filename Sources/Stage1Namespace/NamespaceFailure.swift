import Glibc

/// How the namespace stage1 reports a failure: one `stage1-coreos: …` line on stderr and exit status 254,
/// the status rkt uses for its own failures (an app's own exit status is passed through unchanged).
enum NamespaceFailure {
    static let status: Int32 = 254

    static func exit(_ message: String) -> Never {
        write(message)
        Glibc.exit(status)
    }

    static func write(_ message: String) {
        let line = "stage1-coreos: \(message)\n"
        _ = line.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
    }
}
