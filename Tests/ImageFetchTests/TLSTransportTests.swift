import Foundation
@testable import ImageFetch
import ImageTestSupport
import XCTest

/// The libcurl transport against real TLS servers (Python's http.server with a throwaway CA): trust from a
/// certs.d bundle, verification failures, --insecure-options=tls, keep-alive, and hostile servers.
final class TLSTransportTests: XCTestCase {
    private var fixture: ACIFixture!
    private var authority: TestCertificateAuthority!
    private var trusted: TLSOptions!

    override func setUpWithError() throws {
        if let missing = TestCertificateAuthority.missingTools { throw XCTSkip(missing) }
        fixture = try ACIFixture()
        authority = try TestCertificateAuthority(directory: fixture.directory + "/ca")
        var bundle = CertificateBundle()
        try bundle.add(file: authority.certificate)
        trusted = TLSOptions(additionalCertificates: bundle)
        try FileManager.default.createDirectory(atPath: fixture.directory + "/www", withIntermediateDirectories: true)
        try Data("page".utf8).write(to: URL(fileURLWithPath: fixture.directory + "/www/page.html"))
    }

    override func tearDown() {
        fixture?.cleanUp()
    }

    func testCertificateIsVerifiedAgainstTheBundleOrSkippedOnRequest() throws {
        let server = try TLSTestServer(directory: fixture.directory + "/www", authority: authority)
        let url = server.base + "/page.html"
        XCTAssertThrowsError(try HTTPDownloader(allowHTTP: false).get(url, limit: 100)) { error in
            guard case let .untrustedCertificate(failed, reason)? = error as? FetchError else { return XCTFail("\(error)") }
            XCTAssertEqual(failed, url)
            XCTAssertTrue(reason.contains("certificate"), reason)
            XCTAssertTrue("\(error)".contains("certs.d"), "\(error)")
            XCTAssertTrue("\(error)".contains("--insecure-options=tls"), "\(error)")
        }
        XCTAssertEqual(try HTTPDownloader(allowHTTP: false, tls: trusted).get(url, limit: 100), Array("page".utf8))
        XCTAssertEqual(try HTTPDownloader(allowHTTP: false, tls: TLSOptions(skipVerification: true)).get(url, limit: 100), Array("page".utf8))
        let download = fixture.directory + "/page.copy"
        try HTTPDownloader(allowHTTP: false, tls: trusted).download(url, to: download, limit: 100)
        XCTAssertEqual(try String(contentsOfFile: download, encoding: .utf8), "page")
    }

    /// The CA is trusted, yet a certificate for 127.0.0.1 and localhost does not serve 127.0.0.2.
    func testHostNameIsVerified() throws {
        let server = try TLSTestServer(directory: fixture.directory + "/www", authority: authority, address: "127.0.0.2")
        XCTAssertThrowsError(try HTTPDownloader(allowHTTP: false, tls: trusted).get(server.base + "/page.html", limit: 100)) { error in
            guard case let .untrustedCertificate(_, reason)? = error as? FetchError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("127.0.0.2") || reason.contains("subject name"), reason)
        }
        XCTAssertEqual(try HTTPDownloader(allowHTTP: false, tls: TLSOptions(skipVerification: true)).get(server.base + "/page.html", limit: 100),
                       Array("page".utf8))
    }

    /// One downloader keeps its connection: the server sees every request on the same client port.
    func testRequestsOfOneDownloaderShareAConnection() throws {
        let log = fixture.directory + "/peers.log"
        let server = try TLSTestServer(handler: """
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                def log_message(self, *args):
                    pass
                def do_GET(self):
                    with open(ARGS[0], "a") as f:
                        f.write("%d\\n" % self.client_address[1])
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
            """, arguments: [log], authority: authority)
        let downloader = HTTPDownloader(allowHTTP: false, tls: trusted)
        for path in ["/a", "/b", "/c"] {
            XCTAssertEqual(try downloader.get(server.base + path, limit: 10), Array("ok".utf8))
        }
        let ports = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(ports.count, 3)
        XCTAssertEqual(Set(ports).count, 1, "\(ports)")
    }

    func testHostileServers() throws {
        let server = try TLSTestServer(handler: """
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                def log_message(self, *args):
                    pass
                def do_GET(self):
                    if self.path == "/headers":
                        self.send_response(200)
                        for i in range(4000):
                            self.send_header("X-Filler-%d" % i, "x" * 100)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    elif self.path == "/endless":
                        self.send_response(200)
                        self.end_headers()
                        self.close_connection = True
                        try:
                            while True:
                                self.wfile.write(b"y" * 65536)
                        except OSError:
                            pass
                    elif self.path == "/to-http":
                        self.send_response(302)
                        self.send_header("Location", "http://127.0.0.1:1/page.html")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    elif self.path == "/relative":
                        self.send_response(301)
                        self.send_header("Location", "/ok")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    else:
                        self.send_response(200)
                        self.send_header("Content-Length", "2")
                        self.end_headers()
                        self.wfile.write(b"ok")
            """, authority: authority)
        let downloader = HTTPDownloader(allowHTTP: false, tls: trusted)
        XCTAssertThrowsError(try downloader.get(server.base + "/headers", limit: 100)) { error in
            XCTAssertTrue("\(error)".contains("response headers larger than \(HTTPTransport.maximumHeaderBytes) bytes"), "\(error)")
        }
        XCTAssertThrowsError(try downloader.get(server.base + "/endless", limit: 1 << 20)) { error in
            XCTAssertEqual("\(error)", "\(server.base)/endless: answer larger than \(1 << 20) bytes")
        }
        XCTAssertThrowsError(try downloader.get(server.base + "/to-http", limit: 100)) { error in
            XCTAssertEqual("\(error)", "\(server.base)/to-http: refusing the redirect to http://127.0.0.1:1/page.html")
        }
        XCTAssertEqual(try downloader.get(server.base + "/relative", limit: 100), Array("ok".utf8))
    }

    func testRequestHeadersWithLineBreaksAreRefused() throws {
        XCTAssertThrowsError(try CurlHeaderList([("Authorization", "Bearer x\r\nX-Injected: 1")]))
        XCTAssertThrowsError(try CurlHeaderList([("Bad Name", "x")]))
        XCTAssertNotNil(try CurlHeaderList([("Accept", "a, b")]).list)
    }

    func testResponseHeaderLines() throws {
        var headers = ResponseHeaders(url: "https://x")
        for line in ["HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/2 401 \r\n", "www-authenticate: Bearer realm=\"a\"\r\n",
                     "WWW-Authenticate: Basic realm=\"b\"\r\n", "X-Folded: one\r\n", "\ttwo\r\n", "\r\n"] {
            try Array(line.utf8).withUnsafeBytes { try headers.add(line: $0) }
        }
        XCTAssertEqual(headers.status, 401)
        XCTAssertEqual(headers.fields, ["www-authenticate": "Bearer realm=\"a\", Basic realm=\"b\"", "X-Folded": "one two"])
    }
}
