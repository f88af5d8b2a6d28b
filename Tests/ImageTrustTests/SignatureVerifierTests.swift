import ImageTestSupport
import ImageTrust
import XCTest

/// Real signatures made with GnuPG (RSA and Ed25519), checked with gpgv against trusted-key directories.
final class SignatureVerifierTests: XCTestCase {
    private var keys: GnuPGTestKeys!
    private var root: String!
    private var store: TrustedKeyStore!

    override func setUpWithError() throws {
        guard GnuPGTestKeys.available else { throw XCTSkip("needs GnuPG (/usr/bin/gpg, gpgv): apt-get install gnupg gpgv") }
        keys = try GnuPGTestKeys()
        root = NSTemporaryDirectory() + "rkt-verify-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        store = TrustedKeyStore(localConfigDirectory: root + "/local", systemConfigDirectory: root + "/system")
    }

    override func tearDown() {
        keys?.cleanUp()
        if let root { try? FileManager.default.removeItem(atPath: root) }
    }

    /// Exports `fingerprint` and trusts it for `scope` the way `rkt trust` does.
    private func trust(_ fingerprint: String, _ scope: TrustScope) throws {
        let exported = root + "/\(fingerprint).asc"
        try keys.exportPublicKey(fingerprint, to: exported)
        let description = try KeyFileInspector().describe(exported)
        XCTAssertEqual(description.fingerprint.hex, fingerprint.lowercased())
        try store.add(keyFile: exported, description: description, scope: scope)
    }

    /// Puts the exported key straight into the layout, as a key trusted while it was valid that has since
    /// expired or been revoked (`rkt trust` itself refuses such keys).
    private func place(_ fingerprint: String, _ scope: TrustScope) throws {
        let directory = root + "/local/trustedkeys/" + scope.relativeDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try keys.exportPublicKey(fingerprint, to: directory + "/" + fingerprint.lowercased())
    }

    private func signedFile(_ content: String, by fingerprint: String, fakedTime: String? = nil) throws -> (String, [UInt8]) {
        let file = root + "/data-\(UUID().uuidString)"
        try content.write(toFile: file, atomically: false, encoding: .utf8)
        try keys.sign(file, with: fingerprint, output: file + ".asc", fakedTime: fakedTime)
        return (file, try SignatureVerifier.readSignature(file + ".asc"))
    }

    func testEd25519AndRSASignaturesByTrustedKeysAreGood() throws {
        let ed = try keys.generateKey(userID: "Ed <ed@example.com>", algorithm: "ed25519")
        let rsa = try keys.generateKey(userID: "RSA <rsa@example.com>", algorithm: "rsa2048")
        try trust(ed, try .prefix(validating: "example.com"))
        try trust(rsa, .root)
        let verifier = try SignatureVerifier(keyStore: store)
        for fingerprint in [ed, rsa] {
            let (file, signature) = try signedFile("image bytes", by: fingerprint)
            let check = try verifier.check(signedFile: file, signature: signature, imageName: "example.com/app")
            XCTAssertEqual(check.signingKey?.fingerprint.hex, fingerprint.lowercased(), "\(check.verdict)")
        }
    }

    func testOtherPrefixTamperedExpiredAndRevokedAreRefused() throws {
        let good = try keys.generateKey(userID: "Good <g@example.com>", algorithm: "ed25519")
        let old = try keys.generateKey(userID: "Old <o@example.com>", algorithm: "ed25519", expiry: "1y",
                                       fakedTime: "20200101T000000")
        let revoked = try keys.generateKey(userID: "Revoked <r@example.com>", algorithm: "ed25519")
        let scope = try TrustScope.prefix(validating: "example.com/app")
        try trust(good, scope)
        try place(old, scope)
        try trust(revoked, scope)
        let verifier = try SignatureVerifier(keyStore: store)

        let (file, signature) = try signedFile("image bytes", by: good)
        let elsewhere = try verifier.check(signedFile: file, signature: signature, imageName: "example.org/app")
        guard case .unknownKey = elsewhere.verdict else { return XCTFail("other prefix: \(elsewhere.verdict)") }

        try "image bytez".write(toFile: file, atomically: false, encoding: .utf8)
        let tampered = try verifier.check(signedFile: file, signature: signature, imageName: "example.com/app")
        guard case .bad = tampered.verdict else { return XCTFail("tampered: \(tampered.verdict)") }

        let (oldFile, oldSignature) = try signedFile("old", by: old, fakedTime: "20200601T000000")
        let expired = try verifier.check(signedFile: oldFile, signature: oldSignature, imageName: "example.com/app")
        guard case let .expiredKey(_, signer, _) = expired.verdict else { return XCTFail("expired: \(expired.verdict)") }
        XCTAssertEqual(signer?.hex, old.lowercased())

        let (revokedFile, revokedSignature) = try signedFile("revoked", by: revoked)
        try keys.revoke(revoked)
        try place(revoked, scope)  // the key file now carries the revocation, as an updated key would
        let check = try verifier.check(signedFile: revokedFile, signature: revokedSignature, imageName: "example.com/app")
        guard case .revokedKey = check.verdict else { return XCTFail("revoked: \(check.verdict)") }
    }

    func testAKeyFileNamedByAnotherFingerprintIsRefused() throws {
        let key = try keys.generateKey(userID: "K <k@example.com>", algorithm: "ed25519")
        let wrongName = String(repeating: "e", count: 40)
        let directory = root + "/local/trustedkeys/root.d"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try keys.exportPublicKey(key, to: directory + "/" + wrongName)
        let (file, signature) = try signedFile("x", by: key)
        XCTAssertThrowsError(try SignatureVerifier(keyStore: store).check(
            signedFile: file, signature: signature, imageName: "example.com/app")) { error in
            XCTAssertEqual(error as? TrustError,
                           .keyFileMismatch(path: directory + "/" + wrongName, fingerprint: key.lowercased()))
        }
    }

    func testGarbageAndOversizedSignatureFilesAreRefused() throws {
        let garbage = root + "/garbage.asc"
        try "not a signature".write(toFile: garbage, atomically: false, encoding: .utf8)
        let file = root + "/data"
        try "data".write(toFile: file, atomically: false, encoding: .utf8)
        let check = try SignatureVerifier(keyStore: store).check(
            signedFile: file, signature: try SignatureVerifier.readSignature(garbage), imageName: "example.com/app")
        XCTAssertFalse(check.verdict.isGood)
        let big = root + "/big.asc"
        FileManager.default.createFile(atPath: big, contents: Data(count: SignatureVerifier.maximumSignatureSize + 1))
        XCTAssertThrowsError(try SignatureVerifier.readSignature(big))
        XCTAssertThrowsError(try SignatureVerifier.readSignature(root + "/absent.asc"))
        XCTAssertThrowsError(try SignatureVerifier.readSignature(root)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
        // A symlink to a signature is read through, as open(2) would.
        let link = root + "/link.asc"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: garbage)
        XCTAssertEqual(try SignatureVerifier.readSignature(link), Array("not a signature".utf8))
    }
}
