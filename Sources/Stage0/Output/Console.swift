import Foundation

/// Writes to the standard streams; stdout carries results (IDs, tables, JSON), stderr carries messages.
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
