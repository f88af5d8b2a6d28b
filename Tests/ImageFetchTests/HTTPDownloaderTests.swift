import Foundation
import ImageFetch
import ImageTestSupport
import XCTest

final class HTTPDownloaderTests: XCTestCase {
    func testRedirectsAreFollowedAndPlainHTTPNeedsPermission() throws {
        let fixture = try ACIFixture()
        defer { fixture.cleanUp() }
        try FileManager.default.createDirectory(atPath: fixture.directory + "/www/dir", withIntermediateDirectories: true)
        try Data("page".utf8).write(to: URL(fileURLWithPath: fixture.directory + "/www/dir/index.html"))
        let server = try PythonServer(script: """
            import functools, http.server, sys
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
            handler.log_message = lambda *a: None
            s = http.server.HTTPServer(("127.0.0.1", 0), handler); print(s.server_address[1], flush=True); s.serve_forever()
            """, arguments: [fixture.directory + "/www"])
        let base = "http://127.0.0.1:\(server.port)"
        // http.server answers /dir with a relative redirect to /dir/.
        XCTAssertEqual(try HTTPDownloader(allowHTTP: true).get(base + "/dir?x=1", limit: 100).map { String(decoding: $0, as: UTF8.self) }, "page")
        XCTAssertNil(try HTTPDownloader(allowHTTP: true).get(base + "/missing", limit: 100))
        XCTAssertThrowsError(try HTTPDownloader(allowHTTP: false).get(base + "/dir/", limit: 100)) { error in
            XCTAssertTrue("\(error)".contains("--insecure-options=http"), "\(error)")
        }
        XCTAssertThrowsError(try HTTPDownloader(allowHTTP: true).get(base + "/dir/", limit: 2)) { error in
            XCTAssertTrue("\(error)".contains("larger than 2 bytes"), "\(error)")
        }
    }

    /// https:// to a plain-HTTP server: OpenSSL's "wrong version number" gets a hint at --insecure-options=http.
    func testTLSToAPlainHTTPServerSaysWhatToAdd() throws {
        let server = try PythonServer(script: """
            import http.server
            handler = http.server.BaseHTTPRequestHandler
            handler.log_message = lambda *a: None
            s = http.server.HTTPServer(("127.0.0.1", 0), handler); print(s.server_address[1], flush=True); s.serve_forever()
            """, arguments: [])
        let url = "https://127.0.0.1:\(server.port)/v2/"
        XCTAssertThrowsError(try HTTPDownloader(allowHTTP: false).get(url, limit: 100)) { error in
            guard case let .plainHTTPServer(failed, reason)? = error as? FetchError else { return XCTFail("\(error)") }
            XCTAssertEqual(failed, url)
            XCTAssertTrue(reason.contains("wrong version number"), reason)
            XCTAssertTrue("\(error)".hasSuffix("(the server speaks plain HTTP? add http to --insecure-options)"), "\(error)")
        }
    }
}
