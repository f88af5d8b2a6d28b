import Foundation
import ImageTestSupport
import XCTest

/// `rkt fetch` and `rkt trust` over HTTPS against local TLS servers whose certificate a throwaway CA signed:
/// trusted through certs.d in a config directory, refused without it (nothing stored), accepted unverified
/// with --insecure-options=tls.
final class TLSFetchCommandTests: RktTestCase {
    private var keys: GnuPGTestKeys!
    private var authority: TestCertificateAuthority!
    private var served: String { fixture.directory + "/www" }

    override func setUpWithError() throws {
        guard GnuPGTestKeys.available else { throw XCTSkip("needs GnuPG (/usr/bin/gpg, gpgv)") }
        if let missing = TestCertificateAuthority.missingTools { throw XCTSkip(missing) }
        try super.setUpWithError()
        keys = try GnuPGTestKeys()
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
    }

    override func tearDown() {
        keys?.cleanUp()
        super.tearDown()
    }

    /// Puts the CA certificate in `certs.d` of the given config directory (local, system or user).
    private func trustCA(in configDirectory: String, as name: String = "test-ca.pem") throws {
        let directory = rkt.root + "/" + configDirectory + "/certs.d"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: authority.certificate, toPath: directory + "/" + name)
    }


    private func imageNames() throws -> String {
        try rkt.run(["image", "list", "--no-legend", "--fields=name"]).stdout
    }

    func testSignedACIOverHTTPSWithTheCAInCertsD() throws {
        authority = try TestCertificateAuthority(directory: fixture.directory + "/ca")
        try publishSignedACI("example.com/secure", at: "images/secure.aci", under: served, keys: keys)
        let server = try TLSTestServer(directory: served, authority: authority)
        let url = server.base + "/images/secure.aci"

        let refused = try rkt.run(["fetch", url])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains(url + ": the server's TLS certificate is not trusted ("), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("certs.d"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--insecure-options=tls"), refused.stderr)
        XCTAssertEqual(try imageNames(), "", "nothing stored")

        let unverified = try rkt.run(["fetch", "--insecure-options=tls", url])
        XCTAssertEqual(unverified.status, 0, unverified.stderr)
        XCTAssertEqual(try imageNames(), "example.com/secure:1.0\n")
        XCTAssertEqual(try rkt.run(["image", "rm", unverified.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]).status, 0)

        try trustCA(in: "local")
        let fetched = try rkt.run(["fetch", "--pull-policy=update", "--debug", url])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        XCTAssertTrue(fetched.stderr.contains("trusting 1 CA certificate(s) from \(rkt.root)/local/certs.d/test-ca.pem"), fetched.stderr)
        XCTAssertEqual(try imageNames(), "example.com/secure:1.0\n")

        // The signature comes over the same trusted connection; without it the fetch fails as over http.
        try FileManager.default.removeItem(atPath: served + "/images/secure.aci.asc")
        let unsigned = try rkt.run(["fetch", "--pull-policy=update", url])
        XCTAssertEqual(unsigned.status, 254)
        XCTAssertTrue(unsigned.stderr.contains("no signature at \(url).asc"), unsigned.stderr)
    }

    func testMalformedCertificateFileIsAnErrorNamingIt() throws {
        let directory = rkt.root + "/system/certs.d"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".utf8)
            .write(to: URL(fileURLWithPath: directory + "/broken.crt"))
        let failed = try rkt.run(["fetch", "--insecure-options=image", "https://127.0.0.1:1/x.aci"])
        XCTAssertEqual(failed.status, 254)
        XCTAssertTrue(failed.stderr.contains("\(directory)/broken.crt: certificate on line 1: not valid base64"), failed.stderr)
        // Commands that do not fetch do not read certs.d.
        XCTAssertEqual(try rkt.run(["image", "list"]).status, 0)
    }

    func testTrustFetchesKeyURLsOverHTTPS() throws {
        authority = try TestCertificateAuthority(directory: fixture.directory + "/ca")
        let key = try keys.generateKey(userID: "Web <w@example.com>", algorithm: "ed25519")
        try keys.exportPublicKey(key, to: served + "/web.asc")
        let server = try TLSTestServer(directory: served, authority: authority)
        let url = server.base + "/web.asc"
        let refused = try rkt.run(["trust", "--prefix=example.com/web", "--skip-fingerprint-review", url])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("--insecure-options=tls"), refused.stderr)
        let unverified = try rkt.run(["trust", "--prefix=example.com/web", "--skip-fingerprint-review", "--insecure-options=tls", url])
        XCTAssertEqual(unverified.status, 0, unverified.stderr)
        try trustCA(in: "user")
        let trusted = try rkt.run(["trust", "--prefix=example.com/other", "--skip-fingerprint-review", url])
        XCTAssertEqual(trusted.status, 0, trusted.stderr)
        XCTAssertTrue(trusted.stdout.contains("Added key"), trusted.stdout)
    }

    /// Discovery asks https://HOST/NAME?ac-discovery=1 on port 443, so the server binds port 443 on a random
    /// loopback address (root only) with a certificate naming that address.
    func testAppcDiscoveryOverHTTPS() throws {
        guard geteuid() == 0 else { throw XCTSkip("discovery test binds port 443 on a loopback address (needs root)") }
        let host = "127.\(Int.random(in: 1...254)).\(Int.random(in: 1...254)).\(Int.random(in: 2...254))"
        authority = try TestCertificateAuthority(directory: fixture.directory + "/ca", extraAddresses: [host])
        let name = "\(host)/app"
        try publishSignedACI(name, at: "images/app-1.0-linux-amd64.aci", under: served, keys: keys)
        let page = """
            <html><head>
            <meta name="ac-discovery" content="\(name) https://\(host)/images/app-{version}-{os}-{arch}.{ext}">
            </head></html>
            """
        try Data(page.utf8).write(to: URL(fileURLWithPath: served + "/app"))
        let server = try TLSTestServer(directory: served, authority: authority, address: host, port: 443)
        _ = server

        let refused = try rkt.run(["fetch", "\(name):1.0"])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("https://\(host)/app?ac-discovery=1: the server's TLS certificate is not trusted"), refused.stderr)
        XCTAssertEqual(try imageNames(), "")

        try trustCA(in: "system")
        let fetched = try rkt.run(["fetch", "\(name):1.0"])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        XCTAssertEqual(try imageNames(), "\(name):1.0\n")
    }

    func testDockerRegistryOverTLS() throws {
        if let missing = RegistryServer.missingTools { throw XCTSkip(missing) }
        authority = try TestCertificateAuthority(directory: fixture.directory + "/ca")
        let layout = try OCILayoutBuilder(directory: fixture.directory + "/layout")
        let layer = try layout.addLayer(.init(files: ["etc/greeting": "hello over tls"]))
        try layout.tag(try layout.addManifest(layers: [layer], config: ["Cmd": ["/bin/true"]]), as: "1.0")
        let registry = try RegistryServer(directory: fixture.directory, storage: fixture.directory + "/registry", tls: authority)
        try registry.push("oci:\(layout.directory):1.0", as: "team/tls:1.0")
        let reference = "docker://\(registry.host)/team/tls:1.0"

        let refused = try rkt.run(["fetch", "--insecure-options=image", reference])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("https://\(registry.host)/v2/team/tls/manifests/1.0: the server's TLS certificate is not trusted"),
                      refused.stderr)
        XCTAssertEqual(try imageNames(), "")

        let unverified = try rkt.run(["fetch", "--insecure-options=image,tls", reference])
        XCTAssertEqual(unverified.status, 0, unverified.stderr)
        XCTAssertEqual(try rkt.run(["image", "rm", unverified.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]).status, 0)

        try trustCA(in: "local")
        let fetched = try rkt.run(["fetch", "--insecure-options=image", reference])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        XCTAssertEqual(try imageNames(), "127.0.0.1-\(registry.port)/team/tls:1.0\n")
    }
}
