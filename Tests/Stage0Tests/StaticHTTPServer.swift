import Foundation
import XCTest

/// Python's http.server serving a directory on a loopback address (port 0: the kernel picks one), for the
/// https:// ACI and appc discovery tests (which use plain HTTP with --insecure-options=http).
final class StaticHTTPServer {
    let port: Int
    let address: String
    private let process = Process()

    init(directory: String, address: String = "127.0.0.1", port: Int = 0) throws {
        self.address = address
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-u", "-m", "http.server", "--bind", address, "--directory", directory, String(port)]
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
