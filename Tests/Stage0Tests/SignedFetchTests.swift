import Foundation
import ImageTestSupport
import XCTest

/// `rkt trust`, verified `rkt fetch` and `rkt image verify` end to end, with keys and signatures made by
/// GnuPG in the test.
final class SignedFetchTests: RktTestCase {
    private var keys: GnuPGTestKeys!

    override func setUpWithError() throws {
        guard GnuPGTestKeys.available else { throw XCTSkip("needs GnuPG (/usr/bin/gpg, gpgv): apt-get install gnupg gpgv") }
        try super.setUpWithError()
        keys = try GnuPGTestKeys()
    }

    override func tearDown() {
        keys?.cleanUp()
        super.tearDown()
    }

    private func signedACI(_ name: String, by fingerprint: String, compress: String? = nil,
                           fakedTime: String? = nil) throws -> String {
        let aci = try fixture.makeACI(name.replacingOccurrences(of: "/", with: "_"),
                                      manifest: ACIFixture.manifest(name: name, version: "1.0"),
                                      files: ["bin/hello": "hello"], compress: compress)
        try keys.sign(aci, with: fingerprint, output: aci + ".asc", fakedTime: fakedTime)
        return aci
    }

    private func exportedKey(_ fingerprint: String) throws -> String {
        let path = fixture.directory + "/\(fingerprint).asc"
        try keys.exportPublicKey(fingerprint, to: path)
        return path
    }

    private func trust(_ fingerprint: String, _ scope: String) throws {
        let result = try rkt.run(["trust", scope, "--skip-fingerprint-review", try exportedKey(fingerprint)])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains(fingerprint.lowercased()), result.stdout)
    }

    private func storedImages() throws -> String {
        try rkt.run(["image", "list", "--no-legend", "--full", "--fields=id,signer"]).stdout
    }

    func testTrustedPrefixFetchSucceedsRecordsTheSignerAndVerifiesLater() throws {
        let key = try keys.generateKey(userID: "App Signer <app@example.com>", algorithm: "ed25519")
        try trust(key, "--prefix=example.com/app")
        let aci = try signedACI("example.com/app", by: key)
        let fetched = try rkt.run(["fetch", aci])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        XCTAssertEqual(fetched.stdout, "sha512-" + (try ACIFixture.sha512sum(aci)).prefix(64) + "\n")
        XCTAssertTrue(try storedImages().contains(key.lowercased()))
        let verified = try rkt.run(["image", "verify", "example.com/app:1.0"])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.contains("good signature by \(key.lowercased())"), verified.stdout)

        let listed = try rkt.run(["trust", "--list"])
        XCTAssertTrue(listed.stdout.contains(key.lowercased()) && listed.stdout.contains("App Signer"), listed.stdout)
        XCTAssertEqual(try rkt.run(["trust", "--remove", key]).status, 0)
        let afterRemoval = try rkt.run(["image", "verify"])
        XCTAssertEqual(afterRemoval.status, 254)
        XCTAssertTrue(afterRemoval.stderr.contains("not trusted for example.com/app"), afterRemoval.stderr)
    }

    func testRSAKeyForAnotherPrefixIsRefusedAndNothingIsStored() throws {
        let key = try keys.generateKey(userID: "Other <other@example.org>", algorithm: "rsa2048")
        try trust(key, "--prefix=example.org")
        let aci = try signedACI("example.com/app", by: key)
        let refused = try rkt.run(["fetch", aci])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains(aci) && refused.stderr.contains("example.com/app"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains(key), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("rkt trust --prefix=example.com/app"), refused.stderr)
        XCTAssertEqual(try storedImages(), "")
    }

    func testTamperedByteIsRefusedAndNothingIsStored() throws {
        let key = try keys.generateKey(userID: "T <t@example.com>", algorithm: "ed25519")
        try trust(key, "--prefix=example.com")
        let aci = try signedACI("example.com/app", by: key)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: aci))
        // One byte of a file's content: the tar stays valid (header checksums cover headers only).
        let content = try XCTUnwrap(bytes.range(of: Data("hello".utf8), options: .backwards))
        bytes[content.lowerBound] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: aci))
        let refused = try rkt.run(["fetch", aci])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("BAD signature") && refused.stderr.contains(aci), refused.stderr)
        XCTAssertEqual(try storedImages(), "")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: rkt.root + "/data/cas/tmp")
        XCTAssertEqual(leftovers, [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: rkt.root + "/data/cas/sig"), [])
    }

    func testExpiredAndRevokedKeysAreRefused() throws {
        let old = try keys.generateKey(userID: "Old <old@example.com>", algorithm: "ed25519", expiry: "1y",
                                       fakedTime: "20200101T000000")
        // Trusted while it was valid: `rkt trust` refuses an expired key, so place the file as it was stored.
        let directory = rkt.root + "/local/trustedkeys/prefix.d/example.com"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try keys.exportPublicKey(old, to: directory + "/" + old.lowercased())
        let expired = try rkt.run(["fetch", try signedACI("example.com/old", by: old, fakedTime: "20200601T000000")])
        XCTAssertEqual(expired.status, 254)
        XCTAssertTrue(expired.stderr.contains("expired") && expired.stderr.contains(old.lowercased()), expired.stderr)

        let revoked = try keys.generateKey(userID: "Rev <rev@example.com>", algorithm: "ed25519")
        try trust(revoked, "--prefix=example.com")
        let aci = try signedACI("example.com/rev", by: revoked)
        try keys.revoke(revoked)
        try keys.exportPublicKey(revoked, to: directory + "/" + revoked.lowercased())
        let refused = try rkt.run(["fetch", aci])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("revoked"), refused.stderr)
        let retrust = try rkt.run(["trust", "--root", "--skip-fingerprint-review", try exportedKey(revoked)])
        XCTAssertEqual(retrust.status, 254)
        XCTAssertTrue(retrust.stderr.contains("revoked"), retrust.stderr)
        XCTAssertEqual(try storedImages(), "")
    }

    func testRootKeyIsAcceptedForAnyPrefixAndCompressedImagesVerifyLater() throws {
        let key = try keys.generateKey(userID: "Root <root@example.net>", algorithm: "ed25519")
        try trust(key, "--root")
        for name in ["example.com/a", "other.org/deep/b"] {
            let aci = try signedACI(name, by: key, compress: "xz")
            let signature = aci + ".asc"
            let moved = fixture.directory + "/elsewhere.sig"
            try? FileManager.default.removeItem(atPath: moved)
            try FileManager.default.moveItem(atPath: signature, toPath: moved)
            let fetched = try rkt.run(["fetch", "--signature", moved, aci])
            XCTAssertEqual(fetched.status, 0, fetched.stderr)
        }
        let verified = try rkt.run(["image", "verify"])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertEqual(verified.stdout.split(separator: "\n").count, 2, verified.stdout)
    }

    func testUnsignedImagesAndInsecureOptions() throws {
        let aci = try fixture.makeACI("app", manifest: ACIFixture.manifest(name: "example.com/app"), files: [:])
        let refused = try rkt.run(["fetch", aci])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains(aci + ".asc") && refused.stderr.contains("--insecure-options=image"),
                      refused.stderr)
        let accepted = try rkt.run(["fetch", "--insecure-options=image", aci])
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertTrue(accepted.stderr.contains("warning") && accepted.stderr.contains("not verified"), accepted.stderr)
        XCTAssertTrue(try storedImages().hasSuffix(" -\n"))
        let verify = try rkt.run(["image", "verify"])
        XCTAssertEqual(verify.status, 254)
        XCTAssertTrue(verify.stderr.contains("no kept signature"), verify.stderr)
    }

    func testTrustCommandErrors() throws {
        let key = try keys.generateKey(userID: "K <k@example.com>", algorithm: "ed25519")
        let file = try exportedKey(key)
        let noScope = try rkt.run(["trust", "--skip-fingerprint-review", file])
        XCTAssertEqual(noScope.status, 254)
        XCTAssertTrue(noScope.stderr.contains("--prefix") && noScope.stderr.contains("--root"), noScope.stderr)
        // Discovery that finds nothing (nothing listens on 127.0.0.1:443) says so and names the way out.
        let discovery = try rkt.run(["trust", "--prefix=127.0.0.1/nothing", "--skip-fingerprint-review"])
        XCTAssertEqual(discovery.status, 254)
        XCTAssertTrue(discovery.stderr.contains("no ac-discovery-pubkeys") && discovery.stderr.contains("key file or URL"), discovery.stderr)
        let rootDiscovery = try rkt.run(["trust", "--root", "--skip-fingerprint-review"])
        XCTAssertEqual(rootDiscovery.status, 254)
        XCTAssertTrue(rootDiscovery.stderr.contains("only --prefix keys can be discovered"), rootDiscovery.stderr)
        let plainHTTP = try rkt.run(["trust", "--root", "http://127.0.0.1:9/key.asc"])
        XCTAssertEqual(plainHTTP.status, 254)
        XCTAssertTrue(plainHTTP.stderr.contains("--insecure-allow-http"), plainHTTP.stderr)
        let otherScheme = try rkt.run(["trust", "--root", "ftp://127.0.0.1/key.asc"])
        XCTAssertEqual(otherScheme.status, 254)
        XCTAssertTrue(otherScheme.stderr.contains("not ftp://"), otherScheme.stderr)
        // Without a terminal and without --skip-fingerprint-review, the fingerprint is shown and nothing is stored.
        let unreviewed = try rkt.run(["trust", "--root", file])
        XCTAssertEqual(unreviewed.status, 254)
        XCTAssertTrue(unreviewed.stdout.contains(String(key.prefix(4))), unreviewed.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: rkt.root + "/local/trustedkeys/root.d/" + key.lowercased()))
        let traversal = try rkt.run(["trust", "--prefix=../../etc", "--skip-fingerprint-review", file])
        XCTAssertEqual(traversal.status, 254)
        let notAKey = fixture.directory + "/not-a-key.asc"
        try "hello".write(toFile: notAKey, atomically: false, encoding: .utf8)
        let garbage = try rkt.run(["trust", "--root", "--skip-fingerprint-review", notAKey])
        XCTAssertEqual(garbage.status, 254)
        XCTAssertTrue(garbage.stderr.contains(notAKey), garbage.stderr)
    }

    /// Runs `rkt trust` on a pseudo-terminal (util-linux `script`), typing `answer`.
    private func trustOnTerminal(_ arguments: [String], answer: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = ([RktProcess.binary, "trust"] + arguments + rkt.globalFlags).map { "'\($0)'" }.joined(separator: " ")
        process.arguments = ["-qec", command, "/dev/null"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data((answer + "\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testFingerprintReviewOnATerminalStoresOnlyAfterYes() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("needs util-linux script(1) for a pseudo-terminal")
        }
        let key = try keys.generateKey(userID: "Reviewed <rev@example.com>", algorithm: "ed25519")
        let file = try exportedKey(key)
        let declined = try trustOnTerminal(["--prefix=example.com", file], answer: "no")
        XCTAssertEqual(declined.status, 254, declined.output)
        XCTAssertTrue(declined.output.contains("Are you sure you want to trust this key"), declined.output)
        XCTAssertTrue(declined.output.contains("Reviewed <rev@example.com>"), declined.output)
        XCTAssertFalse(FileManager.default.fileExists(
            atPath: rkt.root + "/local/trustedkeys/prefix.d/example.com/" + key.lowercased()))
        let accepted = try trustOnTerminal(["--prefix=example.com", file], answer: "yes")
        XCTAssertEqual(accepted.status, 0, accepted.output)
        XCTAssertTrue(FileManager.default.fileExists(
            atPath: rkt.root + "/local/trustedkeys/prefix.d/example.com/" + key.lowercased()))
    }
}
