import Foundation
import ImageFetch
import ImageStore
import ImageTestSupport
import OCI
import XCTest

/// docker:// fetches from a real registry (Debian's docker-registry on 127.0.0.1) that skopeo pushed the
/// fixture's OCI layouts into.
final class RegistryFetchTests: XCTestCase {
    private var fixture: FetchFixture!
    private var registry: RegistryServer!
    private let http = RegistryOptions(allowHTTP: true)

    override func setUpWithError() throws {
        if let missing = RegistryServer.missingTools { throw XCTSkip(missing) }
        fixture = try FetchFixture()
        registry = try RegistryServer(directory: fixture.files.directory, storage: fixture.files.directory + "/registry")
        try registry.push("oci:\(fixture.layoutPath):multi", as: "team/multi:1.0")
    }

    override func tearDown() {
        registry = nil
        fixture = nil
    }

    func testMultiLayerImageWithWhiteouts() throws {
        var lines: [String] = []
        let result = try fixture.fetch("docker://\(registry.host)/team/multi:1.0", options: http) { lines.append($0) }
        let record = result.record
        XCTAssertEqual(record.name, "127.0.0.1-\(registry.port)/team/multi")
        XCTAssertEqual(record.origin, "docker://\(registry.host)/team/multi:1.0")
        let manifest = try fixture.store.manifest(of: record)
        XCTAssertEqual(manifest.version, "1.0")
        XCTAssertEqual(manifest.app?.exec, ["/bin/app", "--serve"])
        XCTAssertEqual(manifest.annotation("appc.io/docker/repository"), "team/multi")
        XCTAssertEqual(result.layersFetched, 2)
        XCTAssertEqual(lines.filter { $0.contains("fetching") }.count, 2, "\(lines)")
        try fixture.assertMultiLayerTree(record)

        // By digest, the same image; nothing fetched again.
        let pinned = try fixture.fetch("docker://\(registry.host)/team/multi@\(result.manifestDigest)", options: http)
        XCTAssertEqual(pinned.layersShared, 2)
        XCTAssertEqual(pinned.manifestDigest, result.manifestDigest)
    }

    func testManifestListPicksLinuxAMD64() throws {
        try registry.push("oci:\(fixture.layoutPath):list", as: "team/list:2", all: true)
        let record = try fixture.fetch("docker://\(registry.host)/team/list:2", options: http).record
        XCTAssertEqual(fixture.read(try fixture.store.renderTree(for: record).rootfs + "/arch"), "amd64")
    }

    func testCorruptedBlobFailsAndNothingLandsInTheStore() throws {
        let digest = try OCIDigest(fixture.topLayer["digest"] as! String)
        let data = registry.blobData(digest.hex)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: data)))
        bytes[bytes.count / 2] ^= 0x55
        try Data(bytes).write(to: URL(fileURLWithPath: data))
        XCTAssertThrowsError(try fixture.fetch("docker://\(registry.host)/team/multi:1.0", options: http)) { error in
            XCTAssertTrue("\(error)".contains("digest mismatch"), "\(error)")
        }
        XCTAssertEqual(try fixture.store.images(), [])
        _ = try fixture.store.garbageCollect(gracePeriod: 0)
        try fixture.assertStoreEmpty()
    }

    func testMissingTagAndPlainHTTPRefusal() throws {
        XCTAssertThrowsError(try fixture.fetch("docker://\(registry.host)/team/multi:nope", options: http)) { error in
            XCTAssertTrue("\(error)".contains("HTTP 404"), "\(error)")
            XCTAssertTrue("\(error)".contains("MANIFEST_UNKNOWN"), "\(error)")
        }
        // Without --insecure-options=http the client speaks TLS, which this registry does not.
        XCTAssertThrowsError(try fixture.fetch("docker://\(registry.host)/team/multi:1.0"))
        XCTAssertEqual(try fixture.store.images(), [])
    }

    func testBasicAuthentication() throws {
        let htpasswd = fixture.files.directory + "/htpasswd"
        _ = try FetchFixture.run("/bin/sh", ["-c", "htpasswd -Bbn alice s3cret > '\(htpasswd)'"])
        let guarded = try RegistryServer(directory: fixture.files.directory, storage: registry.storage,
                                         authentication: .htpasswd(file: htpasswd))
        let reference = "docker://\(guarded.host)/team/multi:1.0"
        XCTAssertThrowsError(try fixture.fetch(reference, options: http)) { error in
            XCTAssertTrue("\(error)".contains("auth.d"), "\(error)")
        }
        var wrong = http
        wrong.credentials = [guarded.host: RegistryCredentials(user: "alice", password: "wrong")]
        XCTAssertThrowsError(try fixture.fetch(reference, options: wrong)) { error in
            XCTAssertTrue("\(error)".contains("HTTP 401"), "\(error)")
        }
        var right = http
        right.credentials = [guarded.host: RegistryCredentials(user: "alice", password: "s3cret")]
        try fixture.assertMultiLayerTree(try fixture.fetch(reference, options: right).record)
    }

    func testBearerTokenAuthentication() throws {
        let tokens = try TokenServer(directory: fixture.files.directory, user: "bob", password: "t0ken")
        let guarded = try RegistryServer(
            directory: fixture.files.directory, storage: registry.storage,
            authentication: .token(realm: tokens.realm, service: tokens.service, issuer: tokens.issuer,
                                   certificateBundle: tokens.certificate))
        let reference = "docker://\(guarded.host)/team/multi:1.0"
        XCTAssertThrowsError(try fixture.fetch(reference, options: http)) { error in
            XCTAssertTrue("\(error)".contains("token server"), "\(error)")
        }
        var options = http
        options.credentials = [guarded.host: RegistryCredentials(user: "bob", password: "t0ken")]
        try fixture.assertMultiLayerTree(try fixture.fetch(reference, options: options).record)
    }
}
