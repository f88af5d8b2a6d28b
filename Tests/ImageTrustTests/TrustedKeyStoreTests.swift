import ImageTrust
import XCTest

/// Key lookup and editing on files alone (no gpg): rkt's layout, prefix ancestry, local over system, masks.
final class TrustedKeyStoreTests: XCTestCase {
    private var root: String!
    private var store: TrustedKeyStore!
    private let a = String(repeating: "a", count: 40), b = String(repeating: "b", count: 40)
    private let c = String(repeating: "c", count: 40), d = String(repeating: "d", count: 40)

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "rkt-trust-test-" + UUID().uuidString
        store = TrustedKeyStore(localConfigDirectory: root + "/local", systemConfigDirectory: root + "/system")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func put(_ relative: String, _ content: String = "key") throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func testKeysForANameComeFromRootAndAncestorPrefixesOnly() throws {
        try put("system/trustedkeys/root.d/\(a)")
        try put("local/trustedkeys/prefix.d/example.com/\(b)")
        try put("local/trustedkeys/prefix.d/example.com/app/\(c)")
        try put("local/trustedkeys/prefix.d/example.com/application/\(d)")
        try put("local/trustedkeys/prefix.d/example.com/.hidden")
        XCTAssertEqual(try store.keys(for: "example.com/app").map(\.fingerprint.hex), [a, b, c])
        XCTAssertEqual(try store.keys(for: "example.com/app/tool").map(\.fingerprint.hex), [a, b, c])
        XCTAssertEqual(try store.keys(for: "example.com").map(\.fingerprint.hex), [a, b])
        XCTAssertEqual(try store.keys(for: "example.org/app").map(\.fingerprint.hex), [a])
        XCTAssertEqual(try store.keys(for: "example.com/app").first?.source, .system)
    }

    func testAnEmptyLocalFileMasksASystemKeyAndRemoveMasks() throws {
        try put("system/trustedkeys/prefix.d/example.com/\(a)")
        try put("local/trustedkeys/root.d/\(b)")
        let removed = try store.remove(fingerprint: try KeyFingerprint(a), scope: nil)
        XCTAssertEqual(removed.count, 1)
        XCTAssertTrue(removed[0].hasPrefix("masked"), removed[0])
        XCTAssertEqual(try store.keys(for: "example.com/app").map(\.fingerprint.hex), [b])
        XCTAssertTrue(try store.allKeys().contains { $0.isMask && $0.source == .local })
        _ = try store.remove(fingerprint: try KeyFingerprint(b), scope: .root)
        XCTAssertEqual(try store.keys(for: "example.com/app").map(\.fingerprint.hex), [])
        XCTAssertThrowsError(try store.remove(fingerprint: try KeyFingerprint(c), scope: nil)) { error in
            XCTAssertEqual(error as? TrustError, .keyNotTrusted(fingerprint: self.c))
        }
    }

    func testAFileThatIsNotNamedByAFingerprintIsAnErrorNamingIt() throws {
        try put("local/trustedkeys/root.d/not-a-key")
        XCTAssertThrowsError(try store.keys(for: "example.com")) { error in
            XCTAssertTrue("\(error)".contains("root.d/not-a-key"), "\(error)")
        }
    }

    func testAddWritesTheKeyFileUnderItsFingerprintAndRefusesRevokedKeys() throws {
        try put("incoming.asc", "armored key bytes")
        var description = PublicKeyDescription(
            fingerprint: try KeyFingerprint(a), userIDs: ["T"], validity: "-", expires: nil, algorithm: 22)
        let key = try store.add(keyFile: root + "/incoming.asc", description: description,
                                scope: try TrustScope.prefix(validating: "example.com/app"))
        XCTAssertEqual(key.path, root + "/local/trustedkeys/prefix.d/example.com/app/" + a)
        XCTAssertEqual(try String(contentsOfFile: key.path, encoding: .utf8), "armored key bytes")
        description.validity = "r"
        XCTAssertThrowsError(try store.add(keyFile: root + "/incoming.asc", description: description, scope: .root))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/local/trustedkeys/root.d/" + a))
    }

    func testASymlinkLoopInPrefixDirectoriesIsAnErrorNotARunaway() throws {
        try put("local/trustedkeys/prefix.d/example.com/\(a)")
        try FileManager.default.createSymbolicLink(
            atPath: root + "/local/trustedkeys/prefix.d/example.com/loop", withDestinationPath: ".")
        XCTAssertThrowsError(try store.allKeys()) { error in
            XCTAssertTrue("\(error)".contains("symlink loop"), "\(error)")
        }
        // Lookup for one name walks only that name's ancestors, so it is unaffected.
        XCTAssertEqual(try store.keys(for: "example.com/app").map(\.fingerprint.hex), [a])
    }
}
