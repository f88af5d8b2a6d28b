@testable import ImageTrust
import XCTest

/// Status lines as gpgv 2.2 prints them (captured from real runs), reduced to verdicts.
final class GnuPGStatusReportTests: XCTestCase {
    let fpr = "DA469A6D1D884241FBB0D73919E576165532356C"

    func testGoodSignatureNamesThePrimaryKey() throws {
        let report = GnuPGStatusReport(parsing: """
            [GNUPG:] NEWSIG t@example.com
            [GNUPG:] KEY_CONSIDERED \(fpr) 0
            [GNUPG:] GOODSIG 19E576165532356C Test User <t@example.com>
            [GNUPG:] VALIDSIG 1111111111111111111111111111111111111111 2026-11-29 1795948889 0 4 0 22 8 00 \(fpr)
            """)
        XCTAssertEqual(report.verdict, .good(signer: try KeyFingerprint(fpr), userID: "Test User <t@example.com>"))
    }

    func testExpiredAndRevokedKeysAreNotGoodEvenWithValidSig() throws {
        let expired = GnuPGStatusReport(parsing: """
            [GNUPG:] NEWSIG
            [GNUPG:] KEYEXPIRED 1609372800
            [GNUPG:] EXPKEYSIG A7364F950150E3E8 Old <o@example.com>
            [GNUPG:] VALIDSIG \(fpr) 2020-06-01 1590969600 0 4 0 1 10 00 \(fpr)
            """)
        XCTAssertEqual(expired.verdict, .expiredKey(keyID: "A7364F950150E3E8", signer: try KeyFingerprint(fpr),
                                                    userID: "Old <o@example.com>"))
        let revoked = GnuPGStatusReport(parsing: """
            [GNUPG:] NEWSIG
            [GNUPG:] KEYREVOKED
            [GNUPG:] REVKEYSIG A7364F950150E3E8 Old <o@example.com>
            [GNUPG:] VALIDSIG \(fpr) 2020-06-01 1590969600 0 4 0 1 10 00 \(fpr)
            """)
        XCTAssertFalse(revoked.verdict.isGood)
        guard case .revokedKey = revoked.verdict else { return XCTFail("\(revoked.verdict)") }
    }

    func testBadUnknownMultipleAndMissingSignatures() {
        XCTAssertEqual(GnuPGStatusReport(parsing: "[GNUPG:] NEWSIG\n[GNUPG:] BADSIG 19E576165532356C T <t@x>\n").verdict,
                       .bad(keyID: "19E576165532356C", userID: "T <t@x>"))
        XCTAssertEqual(GnuPGStatusReport(parsing: """
            [GNUPG:] NEWSIG
            [GNUPG:] ERRSIG 19E576165532356C 22 8 00 1795948889 9 \(fpr)
            [GNUPG:] NO_PUBKEY 19E576165532356C
            """).verdict, .unknownKey(keyID: "19E576165532356C", fingerprint: fpr))
        guard case .unverifiable = GnuPGStatusReport(parsing: "[GNUPG:] NEWSIG\n[GNUPG:] NEWSIG\n").verdict else {
            return XCTFail("two signatures accepted")
        }
        guard case .unverifiable = GnuPGStatusReport(parsing: "gpgv: no signature\n").verdict else {
            return XCTFail("no signature accepted")
        }
        // GOODSIG without VALIDSIG (no fingerprint to record) is not enough.
        XCTAssertFalse(GnuPGStatusReport(parsing: "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG 19E576165532356C T\n").verdict.isGood)
    }

    func testColonListingGivesPrimaryFingerprintsUserIDsAndValidity() throws {
        let keys = PublicKeyDescription.parse(colonListing: """
            pub:-:255:22:19E576165532356C:1795948889:::-:::scSC:::::ed25519:::0:
            fpr:::::::::\(fpr):
            uid:-::::1795948889::03DC::Test \\x3a User <t@example.com>::::::::::0:
            sub:-:255:18:AAAAAAAAAAAAAAAA:1795948889::::::e:::::cv25519::
            fpr:::::::::BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB:
            pub:r:2048:1:A7364F950150E3E8:1577836800:1609372800::-:::sc::::::23::0:
            fpr:::::::::D0C773F10007FC3C52DC67FBA7364F950150E3E8:
            """)
        XCTAssertEqual(keys.count, 2)
        XCTAssertEqual(keys[0].fingerprint.hex, fpr.lowercased())
        XCTAssertEqual(keys[0].userIDs, ["Test : User <t@example.com>"])
        XCTAssertFalse(keys[0].isRevoked)
        XCTAssertTrue(keys[1].isRevoked)
        XCTAssertEqual(keys[1].expires, 1609372800)
    }

    func testFingerprintsAndScopes() throws {
        XCTAssertEqual(try KeyFingerprint("DA46 9A6D 1D88 4241 FBB0  D739 19E5 7616 5532 356C").hex, fpr.lowercased())
        XCTAssertEqual(try KeyFingerprint(fpr).grouped, "DA46 9A6D 1D88 4241 FBB0 D739 19E5 7616 5532 356C")
        for bad in ["", "xyz", String(fpr.dropLast()), "../" + fpr, fpr + "0"] {
            XCTAssertThrowsError(try KeyFingerprint(bad), bad)
        }
        let scope = try TrustScope.prefix(validating: "example.com/app")
        XCTAssertTrue(scope.covers(imageName: "example.com/app"))
        XCTAssertTrue(scope.covers(imageName: "example.com/app/sub"))
        XCTAssertFalse(scope.covers(imageName: "example.com/application"))
        XCTAssertFalse(scope.covers(imageName: "example.com"))
        XCTAssertTrue(TrustScope.root.covers(imageName: "anything.org/x"))
        for bad in ["../etc", "/abs", "Example.com", "a//b", "a/../b", ""] {
            XCTAssertThrowsError(try TrustScope.prefix(validating: bad), bad)
        }
    }
}
