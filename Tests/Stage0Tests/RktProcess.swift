import Foundation
import HostTestSupport

/// Runs the built `rkt` binary (next to the test bundle) with fresh data and config directories; inside a host
/// sandbox (own network and mount namespaces) and with extra environment when the harness gives them.
struct RktProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let root: String
    /// Where every `rkt` of this instance runs (nil: in the test's own namespaces).
    var sandbox: HostSandbox?
    /// Added to the environment of every `rkt` of this instance (e.g. RKT_CGROUP_PARENT).
    var environment: [String: String] = [:]

    private init(root: String) {
        self.root = root
    }

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

    /// An unstarted `rkt ARGS…` (exactly these arguments), in the sandbox when there is one, in `directory`
    /// (the test's own working directory when nil).
    func process(_ arguments: [String], in directory: String? = nil) -> Process {
        if let sandbox { return sandbox.process(Self.binary, arguments, directory: directory, environment: environment) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        return process
    }

    /// `rkt ARGS… <global flags>`.
    func run(_ arguments: [String], globalsFirst: Bool = false) throws -> Result {
        try Self.collect(process(globalsFirst ? globalFlags + arguments : arguments + globalFlags))
    }

    /// `rkt ARGS…` exactly as given (no global flags added), in `directory`.
    func execute(_ arguments: [String], in directory: String) throws -> Result {
        try Self.collect(process(arguments, in: directory))
    }

    /// Starts `rkt` without waiting; `wait()` the returned process and read its pipes.
    func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = process(arguments + globalFlags)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs `rkt ARGS…` to its end, in the test's own namespaces and working directory.
    static func execute(_ arguments: [String]) throws -> Result {
        try collect(RktProcess(root: "").process(arguments))
    }

    /// Runs a prepared `rkt` process to its end, collecting both pipes.
    static func collect(_ process: Process) throws -> Result {
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
