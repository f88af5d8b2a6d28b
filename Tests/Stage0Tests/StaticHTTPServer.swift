import Foundation
import XCTest

/// Python's http.server serving a directory on a loopback address (port 0: the kernel picks one), for the
/// https:// ACI and appc discovery tests (which use plain HTTP with --insecure-options=http).
final class StaticHTTPServer {
    let port: Int
    let address: String
    private let process = Process()

    convenience init(directory: String, address: String = "127.0.0.1", port: Int = 0) throws {
        try self.init(arguments: ["-u", "-m", "http.server", "--bind", address, "--directory", directory, String(port)], address: address)
    }

    /// A server of our own (`script`), which must print http.server's "Serving HTTP on ADDRESS port N" line.
    convenience init(script: String, arguments: [String]) throws {
        let path = NSTemporaryDirectory() + "rkt-http-\(UUID().uuidString).py"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try self.init(arguments: ["-u", path] + arguments, address: "127.0.0.1")
    }

    private init(arguments: [String], address: String) throws {
        self.address = address
        let port = 0
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw XCTSkip("python3 http.server could not listen on \(address):\(port)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        guard let range = text.range(of: " port "), let value = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
            throw XCTSkip("python3 http.server printed no port: \(text)")
        }
        self.port = value
    }

    var base: String { port == 80 ? "http://\(address)" : "http://\(address):\(port)" }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
