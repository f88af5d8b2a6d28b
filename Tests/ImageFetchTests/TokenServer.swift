import Foundation

/// A tiny docker token server (Python's http.server): answers GET /token with a JWT (RS256, signed by
/// `openssl dgst`, the signing certificate in the `x5c` header) granting pull and push on the scope asked,
/// after checking basic credentials. The registry trusts the same self-signed certificate.
final class TokenServer {
    let port: Int
    let certificate: String
    let service = "test-registry"
    let issuer = "test-token-issuer"
    private let process = Process()

    var realm: String { "http://127.0.0.1:\(port)/token" }

    init(directory: String, user: String, password: String) throws {
        let key = directory + "/token.key"
        certificate = directory + "/token.crt"
        _ = try FetchFixture.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                                                     "-out", certificate, "-days", "2", "-subj", "/CN=token-issuer"])
        let script = directory + "/token_server.py"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: script))
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, key, certificate, issuer, service, user, password]
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // The server prints its port once it listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw NSError(domain: "TokenServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "token server exited"]) }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw NSError(domain: "TokenServer", code: 2, userInfo: [NSLocalizedDescriptionKey: "token server printed no port"])
        }
        self.port = port
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    static let script = #"""
        import base64, http.server, json, subprocess, sys, time, urllib.parse, uuid

        key, cert, issuer, service, user, password = sys.argv[1:7]
        der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"], check=True, capture_output=True).stdout

        def b64(data):
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        def sign(payload):
            header = {"alg": "RS256", "typ": "JWT", "x5c": [base64.b64encode(der).decode()]}
            signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
            signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing_input.encode(),
                                       check=True, capture_output=True).stdout
            return signing_input + "." + b64(signature)

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
                if url.path != "/token" or self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.end_headers()
                    return
                query = urllib.parse.parse_qs(url.query)
                access = []
                for scope in query.get("scope", []):
                    kind, name, actions = scope.split(":")
                    access.append({"type": kind, "name": name, "actions": ["pull", "push"]})
                now = int(time.time())
                token = sign({"iss": issuer, "sub": user, "aud": service, "exp": now + 600, "nbf": now - 10,
                              "iat": now, "jti": str(uuid.uuid4()), "access": access})
                body = json.dumps({"token": token}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
