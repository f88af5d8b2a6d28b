import Foundation

/// Builds small ACI files for tests with GNU tar: a manifest plus a rootfs from a list of files.
public struct ACIFixture {
    public let directory: String

    public init() throws {
        directory = NSTemporaryDirectory() + "rkt-store-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    public static func manifest(name: String, version: String? = nil, dependencies: [[String: Any]] = [],
                         pathWhitelist: [String]? = nil) -> [String: Any] {
        var labels: [[String: String]] = [["name": "os", "value": "linux"], ["name": "arch", "value": "amd64"]]
        if let version { labels.insert(["name": "version", "value": version], at: 0) }
        var manifest: [String: Any] = [
            "acKind": "ImageManifest", "acVersion": "0.8.11", "name": name, "labels": labels,
            "app": ["exec": ["/bin/true"], "user": "0", "group": "0"],
        ]
        if !dependencies.isEmpty { manifest["dependencies"] = dependencies }
        if let pathWhitelist { manifest["pathWhitelist"] = pathWhitelist }
        return manifest
    }

    /// Writes `name.aci` holding `manifest` and `files` (path under rootfs → content); returns its path.
    public func makeACI(_ name: String, manifest: [String: Any], files: [String: String],
                 compress: String? = nil) throws -> String {
        let staging = directory + "/staging-" + name
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging + "/rootfs", withIntermediateDirectories: true)
        let json = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
        try json.write(to: URL(fileURLWithPath: staging + "/manifest"))
        for (path, content) in files {
            let full = staging + "/rootfs/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(content.utf8).write(to: URL(fileURLWithPath: full))
        }
        let output = directory + "/" + name + ".aci"
        var arguments = ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                         "-C", staging, "-cf", output, "manifest", "rootfs"]
        if let compress { arguments.insert("--\(compress)", at: 0) }
        try Self.run("/usr/bin/tar", arguments)
        return output
    }

    /// `sha512sum` of a file as printed by coreutils (decompressing first when asked).
    public static func sha512sum(_ path: String, decompressWith tool: String? = nil) throws -> String {
        let command = tool.map { "\($0) -dc '\(path)' | sha512sum" } ?? "sha512sum '\(path)'"
        let output = try run("/bin/sh", ["-c", command])
        return String(output.prefix(128))
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "ACIFixture", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "\(executable) \(arguments) failed"])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
