import Foundation
import ImageTestSupport
import XCTest

/// `rkt fetch docker://…` / `oci-layout:` through the command line, against Debian's docker-registry, and
/// the store commands on the result; `rkt run docker://…` with the fly flavor (root).
final class DockerFetchCommandTests: RktTestCase {
    private var layout: OCILayoutBuilder!
    private var registry: RegistryServer!

    override func setUpWithError() throws {
        try super.setUpWithError()
        if let missing = RegistryServer.missingTools { throw XCTSkip(missing) }
        layout = try OCILayoutBuilder(directory: fixture.directory + "/layout")
        let base = try layout.addLayer(.init(files: ["etc/motd": "base", "etc/os-release": "test"]))
        let top = try layout.addLayer(.init(files: ["etc/greeting": "hello"], whiteouts: ["etc/motd"]))
        try layout.tag(try layout.addManifest(layers: [base, top], config: [
            "Cmd": ["/bin/busybox", "cat", "/etc/greeting"], "ExposedPorts": ["80/tcp": [String: Any]()],
        ]), as: "1.0")
        registry = try RegistryServer(directory: fixture.directory, storage: fixture.directory + "/registry")
        try registry.push("oci:\(layout.directory):1.0", as: "team/web:1.0")
    }

    override func tearDown() {
        registry = nil
        super.tearDown()
    }

    func testFetchListCatManifestRemoveAndGC() throws {
        let reference = "docker://\(registry.host)/team/web:1.0"
        let refused = try rkt.run(["fetch", "--insecure-options=http", reference])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("--insecure-options=image"), refused.stderr)

        let fetched = try rkt.run(["fetch", "--insecure-options=image,http", reference])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        XCTAssertTrue(fetched.stdout.hasPrefix("sha512-"), fetched.stdout)
        XCTAssertTrue(fetched.stderr.contains("layer 2/2"), fetched.stderr)
        let key = fetched.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let name = "127.0.0.1-\(registry.port)/team/web"
        let list = try rkt.run(["image", "list", "--no-legend", "--fields=name"])
        XCTAssertEqual(list.stdout, "\(name):1.0\n")
        let manifest = try rkt.run(["image", "cat-manifest", "\(name):1.0"])
        XCTAssertTrue(manifest.stdout.contains("\"80-tcp\""), manifest.stdout)
        XCTAssertTrue(manifest.stdout.contains("/etc/greeting"), manifest.stdout)

        // Found in the store the second time: no registry needed.
        registry = nil
        let again = try rkt.run(["fetch", "--insecure-options=image,http", reference])
        XCTAssertEqual(again.stdout, fetched.stdout, again.stderr)

        let extracted = fixture.directory + "/rendered"
        XCTAssertEqual(try rkt.run(["image", "render", key, extracted]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: extracted + "/rootfs/etc/greeting", encoding: .utf8), "hello")
        XCTAssertFalse(FileManager.default.fileExists(atPath: extracted + "/rootfs/etc/motd"))

        // Export writes a self-contained ACI (rendered files, no layer list) that imports as an ordinary image.
        let exported = fixture.directory + "/web.aci"
        let export = try rkt.run(["image", "export", key, exported])
        XCTAssertEqual(export.status, 0, export.stderr)
        let listing = try ACIFixture.run("/usr/bin/tar", ["-tf", exported])
        XCTAssertTrue(listing.contains("rootfs/etc/greeting"), listing)
        XCTAssertFalse(listing.contains("rootfs/etc/motd"), listing)
        let manifestText = try ACIFixture.run("/usr/bin/tar", ["-xOf", exported, "manifest"])
        XCTAssertFalse(manifestText.contains("coreos.com/rkt/oci/layers"), manifestText)

        XCTAssertEqual(try rkt.run(["image", "rm", key]).status, 0)
        XCTAssertEqual(try rkt.run(["image", "gc", "--grace-period=0s"]).status, 0)
        let layers = try FileManager.default.subpathsOfDirectory(atPath: rkt.root + "/data/cas/layer").filter { $0.contains("sha256-") }
        XCTAssertEqual(layers, [])
    }

    func testBasicAuthFromAuthD() throws {
        let htpasswd = fixture.directory + "/htpasswd"
        try ACIFixture.run("/bin/sh", ["-c", "htpasswd -Bbn carol pw > '\(htpasswd)'"])
        let guarded = try RegistryServer(directory: fixture.directory, storage: registry.storage,
                                         authentication: .htpasswd(file: htpasswd))
        let reference = "docker://\(guarded.host)/team/web:1.0"
        let denied = try rkt.run(["fetch", "--insecure-options=image,http", reference])
        XCTAssertEqual(denied.status, 254)
        XCTAssertTrue(denied.stderr.contains("auth.d"), denied.stderr)
        try FileManager.default.createDirectory(atPath: rkt.root + "/local/auth.d", withIntermediateDirectories: true)
        let auth = """
            {"rktKind": "dockerAuth", "rktVersion": "v1", "registries": ["\(guarded.host)"],
             "credentials": {"user": "carol", "password": "pw"}}
            """
        try Data(auth.utf8).write(to: URL(fileURLWithPath: rkt.root + "/local/auth.d/registry.json"))
        let fetched = try rkt.run(["fetch", "--insecure-options=image,http", reference])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
    }

    func testOCILayoutFetch() throws {
        let fetched = try rkt.run(["fetch", "--insecure-options=image", "oci-layout:\(layout.directory):1.0"])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        let list = try rkt.run(["image", "list", "--no-legend", "--fields=name"])
        XCTAssertEqual(list.stdout, "layout:1.0\n")
        // skopeo's spelling, oci:DIR[:TAG], names the same image.
        let skopeoSpelling = try rkt.run(["fetch", "--insecure-options=image", "oci:\(layout.directory):1.0"])
        XCTAssertEqual(skopeoSpelling.status, 0, skopeoSpelling.stderr)
        XCTAssertEqual(skopeoSpelling.stdout, fetched.stdout)
    }
}
