import Foundation
import ImageFetch
import ImageStore
import ImageTestSupport
import OCI
import XCTest

/// Retries and resumed downloads against a registry that misbehaves on purpose (a small Python server over
/// the fixture's OCI layout): the config answers 503 once, a layer's first transfer breaks off halfway.
final class FlakyRegistryTests: XCTestCase {
    func testServerErrorsAreRetriedAndBrokenTransfersResume() throws {
        let fixture = try FetchFixture()
        let log = fixture.files.directory + "/requests.log"
        let server = try PythonServer(script: Self.script, arguments: [fixture.layoutPath, log])
        let result = try fixture.fetch("docker://127.0.0.1:\(server.port)/flaky/image:multi", options: RegistryOptions(allowHTTP: true))
        try fixture.assertMultiLayerTree(result.record)
        let requests = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(requests.contains("503 config"), requests)
        XCTAssertTrue(requests.contains("cut layer"), requests)
        XCTAssertTrue(requests.contains("206 range"), requests)
    }

    func testRegistryThatAlwaysFailsGivesUpNamingTheURL() throws {
        let fixture = try FetchFixture()
        let server = try PythonServer(script: "import http.server, sys\n" + """
            class H(http.server.BaseHTTPRequestHandler):
                def log_message(self, *a): pass
                def do_GET(self):
                    self.send_response(500); self.send_header("Content-Length", "0"); self.end_headers()
            s = http.server.HTTPServer(("127.0.0.1", 0), H); print(s.server_address[1], flush=True); s.serve_forever()
            """, arguments: [])
        XCTAssertThrowsError(try fixture.fetch("docker://127.0.0.1:\(server.port)/x/y:1", options: RegistryOptions(allowHTTP: true))) { error in
            XCTAssertTrue("\(error)".contains("HTTP 500"), "\(error)")
            XCTAssertTrue("\(error)".contains("/v2/x/y/manifests/1"), "\(error)")
        }
    }

    /// A server that answers every layer range with 206 and no bytes must not keep the client asking.
    func testEmptyRangeAnswersEndTheFetch() throws {
        let fixture = try FetchFixture()
        let log = fixture.files.directory + "/requests.log"
        let server = try PythonServer(script: Self.script, arguments: [fixture.layoutPath, log, "empty-ranges"])
        XCTAssertThrowsError(try fixture.fetch("docker://127.0.0.1:\(server.port)/flaky/image:multi", options: RegistryOptions(allowHTTP: true))) { error in
            XCTAssertTrue("\(error)".contains("HTTP 206: no bytes for Range: bytes=0-"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8).components(separatedBy: "206 empty").count - 1, 1)
        try fixture.assertStoreEmpty()
    }

    static let script = #"""
        import http.server, json, os, sys
        layout, log = sys.argv[1], sys.argv[2]
        empty_ranges = len(sys.argv) > 3 and sys.argv[3] == "empty-ranges"
        index = json.load(open(os.path.join(layout, "index.json")))
        tags = {m["annotations"]["org.opencontainers.image.ref.name"]: m for m in index["manifests"]}
        seen = set()

        def note(text):
            with open(log, "a") as f:
                f.write(text + "\n")

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass

            def blob(self, digest):
                return open(os.path.join(layout, "blobs", *digest.split(":")), "rb").read()

            def do_GET(self):
                parts = self.path.split("/")
                if "/manifests/" in self.path:
                    reference = parts[-1]
                    entry = tags.get(reference)
                    digest = entry["digest"] if entry else reference
                    body = self.blob(digest)
                    self.send_response(200)
                    self.send_header("Content-Type", entry["mediaType"] if entry else "application/vnd.oci.image.manifest.v1+json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                digest = parts[-1]
                body = self.blob(digest)
                is_config = len(body) < 2000 and body.startswith(b"{")
                if is_config and digest not in seen:
                    seen.add(digest)
                    note("503 config")
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                ranged = self.headers.get("Range")
                if empty_ranges and not is_config:
                    note("206 empty")
                    self.send_response(206)
                    self.send_header("Content-Range", "bytes 0-0/%d" % len(body))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if ranged and digest in seen:
                    first, last = ranged.split("=")[1].split("-")
                    start, end = int(first), min(int(last) if last else len(body) - 1, len(body) - 1)
                    note("206 range %d" % start)
                    self.send_response(206)
                    self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, len(body)))
                    self.send_header("Content-Length", str(end + 1 - start))
                    self.end_headers()
                    self.wfile.write(body[start:end + 1])
                    return
                if not is_config and digest not in seen:
                    seen.add(digest)
                    note("cut layer")
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}

/// A Python script that prints the port it listens on as its first line; stopped when released.
final class PythonServer {
    let port: Int
    private let process = Process()

    init(script: String, arguments: [String]) throws {
        let path = NSTemporaryDirectory() + "rkt-python-server-\(UUID().uuidString).py"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [path] + arguments
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw NSError(domain: "PythonServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "server exited"]) }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw NSError(domain: "PythonServer", code: 2, userInfo: [NSLocalizedDescriptionKey: "no port printed"])
        }
        self.port = port
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
