import Foundation
import ImageTestSupport
import XCTest

/// ACIs fetched over HTTP(S) with their `.asc` signature, and appc discovery, against a local server.
final class RemoteACIFetchTests: RktTestCase {
    private var keys: GnuPGTestKeys!
    private var served: String { fixture.directory + "/www" }

    override func setUpWithError() throws {
        guard GnuPGTestKeys.available else { throw XCTSkip("needs GnuPG (/usr/bin/gpg, gpgv)") }
        try super.setUpWithError()
        keys = try GnuPGTestKeys()
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
    }

    override func tearDown() {
        keys?.cleanUp()
        super.tearDown()
    }


    func testSignedACIOverHTTP() throws {
        try publishSignedACI("example.com/remote", at: "images/remote.aci", under: served, keys: keys)
        let server = try StaticHTTPServer(directory: served)
        let url = server.base + "/images/remote.aci"

        let refused = try rkt.run(["fetch", url])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("--insecure-options=http"), refused.stderr)

        let fetched = try rkt.run(["fetch", "--insecure-options=http", url])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        XCTAssertTrue(fetched.stdout.hasPrefix("sha512-"), fetched.stdout)
        let listed = try rkt.run(["image", "list", "--no-legend", "--fields=name,signer"])
        XCTAssertTrue(listed.stdout.contains("example.com/remote:1.0"), listed.stdout)

        try FileManager.default.removeItem(atPath: served + "/images/remote.aci.asc")
        let unsigned = try rkt.run(["fetch", "--insecure-options=http", "--pull-policy=update", url])
        XCTAssertEqual(unsigned.status, 254)
        XCTAssertTrue(unsigned.stderr.contains("no signature at \(url).asc"), unsigned.stderr)
        let missing = try rkt.run(["fetch", "--insecure-options=http,image", server.base + "/images/nope.aci"])
        XCTAssertEqual(missing.status, 254)
        XCTAssertTrue(missing.stderr.contains("HTTP 404"), missing.stderr)
    }

    func testPullPolicyUsesTheStoreThenRevalidatesWithTheETag() throws {
        let log = fixture.directory + "/requests.log"
        let aci = try fixture.makeACI("v1", manifest: ACIFixture.manifest(name: "example.com/cached", version: "1"), files: ["v": "1"])
        try FileManager.default.copyItem(atPath: aci, toPath: served + "/app.aci")
        let server = try StaticHTTPServer(script: Self.etagServer, arguments: [served, log])
        let url = "http://127.0.0.1:\(server.port)/app.aci"
        func requests() -> [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        let never = try rkt.run(["fetch", "--insecure-options=image,http", "--pull-policy=never", url])
        XCTAssertEqual(never.status, 254, never.stderr)
        let first = try rkt.run(["fetch", "--insecure-options=image,http", url])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(requests(), ["200 /app.aci"])
        let again = try rkt.run(["fetch", "--insecure-options=image,http", url])
        XCTAssertEqual(again.stdout, first.stdout)
        XCTAssertEqual(requests().count, 1, "new: the store answers, the server is not asked")
        let revalidated = try rkt.run(["fetch", "--insecure-options=image,http", "--pull-policy=update", url])
        XCTAssertEqual(revalidated.stdout, first.stdout, revalidated.stderr)
        XCTAssertEqual(requests().last, "304 /app.aci")

        let v2 = try fixture.makeACI("v2", manifest: ACIFixture.manifest(name: "example.com/cached", version: "2"), files: ["v": "2"])
        try FileManager.default.removeItem(atPath: served + "/app.aci")
        try FileManager.default.copyItem(atPath: v2, toPath: served + "/app.aci")
        let updated = try rkt.run(["fetch", "--insecure-options=image,http", "--pull-policy=update", url])
        XCTAssertEqual(updated.status, 0, updated.stderr)
        XCTAssertNotEqual(updated.stdout, first.stdout)
        XCTAssertEqual(requests().last, "200 /app.aci")
    }

    /// Serves files with a content ETag and `Cache-Control: max-age=0`, answers If-None-Match with 304, logs.
    static let etagServer = #"""
        import hashlib, http.server, os, sys
        root, log = sys.argv[1], sys.argv[2]
        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a): pass
            def do_GET(self):
                path = os.path.join(root, self.path.lstrip("/"))
                if not os.path.isfile(path):
                    self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
                body = open(path, "rb").read()
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                status = 304 if self.headers.get("If-None-Match") == etag else 200
                open(log, "a").write("%d %s\n" % (status, self.path))
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", "max-age=0")
                self.send_header("Content-Length", "0" if status == 304 else str(len(body)))
                self.end_headers()
                if status == 200: self.wfile.write(body)
        s = http.server.HTTPServer(("127.0.0.1", 0), H); print("Serving HTTP on 127.0.0.1 port %d" % s.server_address[1], flush=True)
        s.serve_forever()
        """#

    /// Discovery needs the image name's host to answer on port 80, so the server binds a random loopback
    /// address on port 80 (root only).
    func testAppcDiscoveryFindsTheImageAndItsSignature() throws {
        guard geteuid() == 0 else { throw XCTSkip("discovery test binds port 80 on a loopback address (needs root)") }
        let host = "127.\(Int.random(in: 1...254)).\(Int.random(in: 1...254)).\(Int.random(in: 2...254))"
        let name = "\(host)/app"
        try publishSignedACI(name, at: "images/\(host)/app-1.0-linux-amd64.aci", under: served, keys: keys)
        let page = """
            <html><head>
            <meta name="ac-discovery" content="\(host)/other http://\(host)/wrong/{name}.{ext}">
            <meta name="ac-discovery" content="\(name) http://\(host)/images/{name}-{version}-{os}-{arch}.{ext}">
            <meta name="ac-discovery-pubkeys" content="\(name) http://\(host)/pubkeys.gpg">
            </head></html>
            """
        // http.server ignores the query: GET /app?ac-discovery=1 serves the file `app`.
        try Data(page.utf8).write(to: URL(fileURLWithPath: served + "/app"))
        let server = try StaticHTTPServer(directory: served, address: host, port: 80)
        _ = server

        let fetched = try rkt.run(["fetch", "--insecure-options=http", "\(name):1.0"])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        let list = try rkt.run(["image", "list", "--no-legend", "--fields=name"])
        XCTAssertEqual(list.stdout, "\(name):1.0\n")
        let unknown = try rkt.run(["fetch", "--insecure-options=http", "\(name):2.0"])
        XCTAssertEqual(unknown.status, 254)
        XCTAssertTrue(unknown.stderr.contains("HTTP 404"), unknown.stderr)
    }

    func testTrustTakesKeysFromURLsOnlyOverHTTPSUnlessAllowed() throws {
        let key = try keys.generateKey(userID: "Web <w@example.com>", algorithm: "ed25519")
        try keys.exportPublicKey(key, to: served + "/web.asc")
        let server = try StaticHTTPServer(directory: served)
        let url = server.base + "/web.asc"
        let refused = try rkt.run(["trust", "--prefix=example.com/web", "--skip-fingerprint-review", url])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("--insecure-allow-http"), refused.stderr)
        let trusted = try rkt.run(["trust", "--prefix=example.com/web", "--skip-fingerprint-review", "--insecure-allow-http", url])
        XCTAssertEqual(trusted.status, 0, trusted.stderr)
        XCTAssertTrue(trusted.stdout.contains("Key: \"\(url)\" for prefix example.com/web") || trusted.stdout.contains(url), trusted.stdout)
        XCTAssertTrue(trusted.stdout.contains("Added key"), trusted.stdout)
        let missing = try rkt.run(["trust", "--prefix=example.com/web", "--skip-fingerprint-review", "--insecure-allow-http",
                                   server.base + "/nope.asc"])
        XCTAssertEqual(missing.status, 254)
        XCTAssertTrue(missing.stderr.contains("404"), missing.stderr)
    }

    /// `rkt trust --prefix=NAME` with no key discovers the keys through ac-discovery-pubkeys; the fetch that
    /// follows verifies against them. Binds port 80 on a loopback address (root only), as discovery needs.
    func testTrustDiscoversKeysAndTheFetchVerifiesWithThem() throws {
        guard geteuid() == 0 else { throw XCTSkip("discovery test binds port 80 on a loopback address (needs root)") }
        let host = "127.\(Int.random(in: 1...254)).\(Int.random(in: 1...254)).\(Int.random(in: 2...254))"
        let name = "\(host)/signed"
        let key = try keys.generateKey(userID: "Discovered <d@example.com>", algorithm: "rsa2048")
        let aci = try fixture.makeACI("signed", manifest: ACIFixture.manifest(name: name, version: "1.0"), files: ["bin/x": "x"])
        try FileManager.default.createDirectory(atPath: served + "/images", withIntermediateDirectories: true)
        let published = served + "/images/signed-1.0.aci"
        try FileManager.default.copyItem(atPath: aci, toPath: published)
        try keys.sign(published, with: key, output: published + ".asc")
        try keys.exportPublicKey(key, to: served + "/pubkeys.gpg")
        let page = """
            <meta name="ac-discovery" content="\(name) http://\(host)/images/signed-{version}.{ext}">
            <meta name="ac-discovery-pubkeys" content="\(name) http://\(host)/pubkeys.gpg">
            """
        try Data(page.utf8).write(to: URL(fileURLWithPath: served + "/signed"))
        let server = try StaticHTTPServer(directory: served, address: host, port: 80)
        _ = server

        let untrusted = try rkt.run(["fetch", "--insecure-options=http", "\(name):1.0"])
        XCTAssertEqual(untrusted.status, 254, "no key is trusted yet")
        let trusted = try rkt.run(["trust", "--prefix=\(name)", "--skip-fingerprint-review", "--insecure-allow-http"])
        XCTAssertEqual(trusted.status, 0, trusted.stderr)
        XCTAssertTrue(trusted.stdout.contains("http://\(host)/pubkeys.gpg"), trusted.stdout)
        let fetched = try rkt.run(["fetch", "--insecure-options=http", "\(name):1.0"])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        let nothing = try rkt.run(["trust", "--prefix=\(host)/elsewhere", "--skip-fingerprint-review", "--insecure-allow-http"])
        XCTAssertEqual(nothing.status, 254)
        XCTAssertTrue(nothing.stderr.contains("ac-discovery-pubkeys"), nothing.stderr)
    }
}
