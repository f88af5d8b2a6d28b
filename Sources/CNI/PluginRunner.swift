import Foundation

/// Runs one CNI plugin binary as the spec says: the operation and its parameters in the environment
/// (CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS, CNI_PATH), the network configuration on
/// stdin, the result (or an error object) on stdout. Plugins are found by file name in `pluginDirectories`,
/// which is also what they get as CNI_PATH (to find their IPAM plugin). Output is bounded, and a plugin that
/// runs past `timeout` seconds is killed (a hung plugin must not hang the pod's start or gc forever).
public struct PluginRunner: Sendable {
    public let pluginDirectories: [String]
    public let timeout: Double

    public init(pluginDirectories: [String], timeout: Double = 120) {
        self.pluginDirectories = pluginDirectories
        self.timeout = timeout
    }

    /// The debian package's directory, then the CNI convention's.
    public static let defaultPluginDirectories = ["/usr/lib/cni", "/opt/cni/bin"]

    public struct Invocation: Sendable {
        public var command: String
        public var containerID: String
        public var netns: String
        public var ifName: String
        public var args: String

        public init(command: String, containerID: String, netns: String, ifName: String, args: String) {
            self.command = command
            self.containerID = containerID
            self.netns = netns
            self.ifName = ifName
            self.args = args
        }
    }

    /// The plugin's path, or an error naming the directories searched.
    public func locate(_ type: String) throws -> String {
        guard PluginName.isValid(type) else { throw CNIError("plugin type \(type.debugDescription) is not a plain file name") }
        for directory in pluginDirectories {
            let path = directory + "/" + type
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw CNIError("plugin \(type.debugDescription) not found in \(pluginDirectories.joined(separator: ":"))")
    }

    /// Runs the plugin; returns its stdout on success, else throws with the plugin's error message.
    public func run(type: String, invocation: Invocation, config: Data) throws -> Data {
        let path = try locate(type)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CNI_") }
        environment["CNI_COMMAND"] = invocation.command
        environment["CNI_CONTAINERID"] = invocation.containerID
        environment["CNI_NETNS"] = invocation.netns
        environment["CNI_IFNAME"] = invocation.ifName
        environment["CNI_ARGS"] = invocation.args
        environment["CNI_PATH"] = pluginDirectories.joined(separator: ":")
        if environment["PATH"] == nil { environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = []
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw CNIError("plugin \(type) (\(path)): cannot start: \(error.localizedDescription)")
        }
        let group = DispatchGroup()
        let collected = Collected()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem {
            collected.timedOut = true
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        DispatchQueue.global().async(group: group) {
            collected.errors = Self.readBounded(errors.fileHandleForReading, limit: 64 << 10)
        }
        DispatchQueue.global().async(group: group) {
            try? input.fileHandleForWriting.write(contentsOf: config)
            try? input.fileHandleForWriting.close()
        }
        let stdout = Self.readBounded(output.fileHandleForReading, limit: CNIResult.maximumSize + 1)
        process.waitUntilExit()
        watchdog.cancel()
        group.wait()
        if collected.timedOut {
            throw CNIError("plugin \(type) \(invocation.command) did not finish within \(timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)) seconds and was killed")
        }
        if process.terminationReason == .uncaughtSignal {
            throw CNIError("plugin \(type) \(invocation.command) was killed by signal \(process.terminationStatus)\(Self.suffix(collected.errors))")
        }
        guard process.terminationStatus == 0 else {
            throw CNIError("plugin \(type) \(invocation.command) failed: " + Self.errorMessage(stdout: stdout, stderr: collected.errors, status: process.terminationStatus))
        }
        guard stdout.count <= CNIResult.maximumSize else { throw CNIError("plugin \(type): output larger than \(CNIResult.maximumSize) bytes") }
        return stdout
    }

    /// The spec's error object (`code`, `msg`, `details`) if the plugin printed one, else its output.
    static func errorMessage(stdout: Data, stderr: Data, status: Int32) -> String {
        if let object = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any], let message = object["msg"] as? String {
            var text = message
            if let details = object["details"] as? String, !details.isEmpty { text += " (\(details))" }
            if let code = object["code"] as? Int { text += " [CNI error code \(code)]" }
            return text
        }
        let text = String(decoding: stdout + stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "exit status \(status)" : "exit status \(status): \(text.prefix(4096))"
    }

    private static func suffix(_ errors: Data) -> String {
        let text = String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": \(text.prefix(4096))"
    }

    /// Reads to EOF, keeping at most `limit` bytes (the rest is drained so the writer never blocks).
    static func readBounded(_ handle: FileHandle, limit: Int) -> Data {
        var data = Data()
        while true {
            guard let chunk = try? handle.read(upToCount: 65536), !chunk.isEmpty else { break }
            if data.count < limit { data.append(chunk.prefix(limit - data.count)) }
        }
        return data
    }

    private final class Collected: @unchecked Sendable {
        var errors = Data()
        var timedOut = false
    }
}
