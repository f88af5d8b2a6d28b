import Foundation

/// Runs the built `rkt` binary (next to the test bundle) with fresh data and config directories.
struct RktProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "rkt-cli-test-" + UUID().uuidString
        for sub in ["data", "local", "system", "user"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: root)
    }

    static var binary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle.appendingPathComponent("rkt").path,
                          bundle.deletingLastPathComponent().appendingPathComponent("rkt").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    var globalFlags: [String] {
        ["--dir=\(root)/data", "--local-config=\(root)/local", "--system-config=\(root)/system",
         "--user-config=\(root)/user"]
    }

    /// `rkt ARGS… <global flags>`.
    func run(_ arguments: [String], globalsFirst: Bool = false) throws -> Result {
        try Self.execute(globalsFirst ? globalFlags + arguments : arguments + globalFlags)
    }

    /// Starts `rkt` without waiting; `wait()` the returned process and read its pipes.
    func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments + globalFlags
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs `rkt ARGS…` to its end, in `directory` (the test's own working directory when nil).
    static func execute(_ arguments: [String], in directory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting so a chatty child never blocks on a full pipe.
        let errors = ErrorCollector()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errors.data = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let errData = errors.data
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

private final class ErrorCollector: @unchecked Sendable {
    var data = Data()
}
