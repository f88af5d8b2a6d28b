import Foundation

/// For tests: Python's http.server behind TLS with a `TestCertificateAuthority`'s server certificate, on a
/// loopback address (port 0: the kernel picks one); stopped when the object goes away. The TLS handshake runs
/// in the connection's thread, so a client that gives up on the certificate does not stall the server.
public final class TLSTestServer {
    public let address: String
    public let port: Int
    private let process = Process()

    public var base: String { port == 443 ? "https://\(address)" : "https://\(address):\(port)" }

    /// Serves the files under `directory` (the query string is ignored: `/app?ac-discovery=1` serves `app`).
    public convenience init(directory: String, authority: TestCertificateAuthority, address: String = "127.0.0.1", port: Int = 0) throws {
        try self.init(handler: """
            class Handler(http.server.SimpleHTTPRequestHandler):
                def __init__(self, *args, **kwargs):
                    super().__init__(*args, directory=ARGS[0], **kwargs)
                def log_message(self, *args):
                    pass
            """, arguments: [directory], authority: authority, address: address, port: port)
    }

    /// `handler`: Python source defining `class Handler` (an http.server.BaseHTTPRequestHandler); `ARGS` holds
    /// `arguments`.
    public init(handler: String, arguments: [String] = [], authority: TestCertificateAuthority,
                address: String = "127.0.0.1", port: Int = 0) throws {
        self.address = address
        let script = """
            import http.server, os, ssl, sys
            CERT, KEY, ADDRESS, PORT = sys.argv[1:5]
            ARGS = sys.argv[5:]
            \(handler)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(CERT, KEY)
            class Server(http.server.ThreadingHTTPServer):
                daemon_threads = True
                def get_request(self):
                    sock, peer = self.socket.accept()
                    return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), peer
                def handle_error(self, request, client_address):
                    pass
            server = Server((ADDRESS, int(PORT)), Handler)
            print("port %d" % server.server_address[1], flush=True)
            server.serve_forever()
            """
        let path = NSTemporaryDirectory() + "rkt-tls-server-\(UUID().uuidString).py"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-u", path, authority.serverCertificate, authority.serverKey, address, String(port)] + arguments
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var line = ""
        while !line.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                throw NSError(domain: "TLSTestServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "python3 TLS server could not listen on \(address):\(port)"])
            }
            line += String(decoding: chunk, as: UTF8.self)
        }
        guard line.hasPrefix("port "), let value = Int(line.dropFirst(5).prefix { $0.isNumber }) else {
            throw NSError(domain: "TLSTestServer", code: 2, userInfo: [NSLocalizedDescriptionKey: "python3 TLS server printed no port: \(line)"])
        }
        self.port = value
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
