import Glibc

/// How the fly stage1 reports a failure: one `stage1-fly: …` line on stderr and exit status 254, the
/// status rkt uses for its own failures (an app's own exit status is passed through unchanged).
enum FlyFailure {
    static let status: Int32 = 254

    static func exit(_ message: String) -> Never {
        let line = "stage1-fly: \(message)\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        Glibc.exit(status)
    }
}
