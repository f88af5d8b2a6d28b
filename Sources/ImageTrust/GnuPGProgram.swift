import Foundation

/// One GnuPG program (`gpg` or `gpgv`), found on PATH or in /usr/bin, run with its output captured.
/// Callers always pass `--homedir` of a private directory: rkt never reads or writes the user's ~/.gnupg.
public struct GnuPGProgram: Sendable {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public let name: String
    public let path: String

    public init(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/bin"]
        var searched: [String] = []
        for directory in directories where !directory.isEmpty && !searched.contains(directory) {
            searched.append(directory)
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) {
                self.name = name
                self.path = candidate
                return
            }
        }
        throw TrustError.toolMissing(tool: name, searched: searched)
    }

    /// Runs the program to completion. Both pipes are drained concurrently, so a chatty program never blocks.
    /// The environment is reduced to PATH and a C locale, so status text and messages are predictable.
    public func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw TrustError.toolFailed(tool: path, status: -1, message: "cannot start: \(error)")
        }
        let collector = StderrCollector()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { collector.data = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: collector.data, as: UTF8.self))
    }
}

private final class StderrCollector: @unchecked Sendable {
    var data = Data()
}
