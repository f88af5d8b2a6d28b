import Foundation
import ImageTestSupport
import XCTest

final class ImageCommandTests: RktTestCase {
    private var key = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        let aci = try fixture.makeACI("app", manifest: ACIFixture.manifest(name: "example.com/app", version: "1.0"),
                                      files: ["bin/hello": "hello"])
        let fetched = try rkt.run(["fetch", "--insecure-options=image", aci])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        key = fetched.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testListShowsLegendShortIDAndHumanSize() throws {
        let result = try rkt.run(["image", "list"])
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0].split(separator: " ", omittingEmptySubsequences: true).first, "ID")
        XCTAssertTrue(lines[0].contains("NAME") && lines[0].contains("IMPORT TIME") && lines[0].contains("LAST USED"))
        XCTAssertTrue(lines[1].hasPrefix(String(key.prefix(19)) + " "), String(lines[1]))
        XCTAssertTrue(lines[1].contains("example.com/app:1.0"))
        XCTAssertTrue(lines[1].contains("KiB"), String(lines[1]))
    }

    func testListJSON() throws {
        let result = try rkt.run(["image", "list", "--format=json"])
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 1)
        XCTAssertEqual(array[0]["id"] as? String, key)
        XCTAssertEqual(array[0]["name"] as? String, "example.com/app:1.0")
        XCTAssertNotNil(array[0]["import_time"] as? Int)
    }

    func testListRejectsUnknownField() throws {
        let result = try rkt.run(["image", "list", "--fields=id,colour"])
        XCTAssertEqual(result.status, 254)
        XCTAssertTrue(result.stderr.contains("colour"), result.stderr)
    }

    func testCatManifestByIDPrefixAndName() throws {
        let compact = try rkt.run(["image", "cat-manifest", String(key.prefix(20))])
        XCTAssertEqual(compact.status, 0, compact.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(compact.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["name"] as? String, "example.com/app")
        let pretty = try rkt.run(["image", "cat-manifest", "--pretty-print", "example.com/app:1.0"])
        XCTAssertTrue(pretty.stdout.contains("\n  "), pretty.stdout)
        let missing = try rkt.run(["image", "cat-manifest", "example.com/nothing"])
        XCTAssertEqual(missing.status, 254)
        XCTAssertTrue(missing.stderr.contains("example.com/nothing"), missing.stderr)
    }

    func testExportWritesTheStoredTarWhichHashesToTheKey() throws {
        let output = fixture.directory + "/exported.aci"
        XCTAssertEqual(try rkt.run(["image", "export", key, output]).status, 0)
        XCTAssertEqual("sha512-" + (try ACIFixture.sha512sum(output)).prefix(64), key)
        let again = try rkt.run(["image", "export", key, output])
        XCTAssertEqual(again.status, 254)
        XCTAssertTrue(again.stderr.contains("--overwrite"), again.stderr)
        XCTAssertEqual(try rkt.run(["image", "export", "--overwrite", key, output]).status, 0)
    }

    func testExtractAndRenderRespectOverwriteAndRootfsOnly() throws {
        let full = fixture.directory + "/full"
        XCTAssertEqual(try rkt.run(["image", "extract", key, full]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: full + "/manifest"))
        XCTAssertEqual(FileManager.default.contents(atPath: full + "/rootfs/bin/hello"), Data("hello".utf8))
        XCTAssertEqual(try rkt.run(["image", "extract", key, full]).status, 254)
        XCTAssertEqual(try rkt.run(["image", "extract", "--overwrite", "--rootfs-only", key, full]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: full + "/manifest"))
        XCTAssertEqual(FileManager.default.contents(atPath: full + "/bin/hello"), Data("hello".utf8))

        let rendered = fixture.directory + "/rendered"
        XCTAssertEqual(try rkt.run(["image", "render", "example.com/app", rendered]).status, 0)
        XCTAssertEqual(FileManager.default.contents(atPath: rendered + "/rootfs/bin/hello"), Data("hello".utf8))
    }

    func testRemoveThenGC() throws {
        let removed = try rkt.run(["image", "rm", key, "example.com/absent"])
        XCTAssertEqual(removed.status, 254, "one of the two could not be removed")
        XCTAssertTrue(removed.stdout.contains("successfully removed aci for image: \"\(key)\""), removed.stdout)
        XCTAssertTrue(removed.stderr.contains("example.com/absent"), removed.stderr)
        XCTAssertEqual(try rkt.run(["image", "list", "--no-legend"]).stdout, "")
        let gc = try rkt.run(["image", "gc", "--grace-period=0s"])
        XCTAssertEqual(gc.status, 0, gc.stderr)
        XCTAssertEqual(try rkt.run(["image", "gc", "--grace-period=soon"]).status, 254)
    }

    func testVersionAndConfig() throws {
        let version = try rkt.run(["version"])
        XCTAssertTrue(version.stdout.hasPrefix("rkt Version: "), version.stdout)
        XCTAssertTrue(version.stdout.contains("appc Version: 0.8.11"))

        let pathsDirectory = rkt.root + "/local/paths.d"
        try FileManager.default.createDirectory(atPath: pathsDirectory, withIntermediateDirectories: true)
        try Data(#"{"rktKind":"paths","rktVersion":"v1","stage1-images":"/opt/stage1"}"#.utf8)
            .write(to: URL(fileURLWithPath: pathsDirectory + "/paths.json"))
        let config = try rkt.run(["config"])
        XCTAssertEqual(config.status, 0, config.stderr)
        XCTAssertTrue(config.stdout.contains(#""stage1-images":"/opt/stage1""#), config.stdout)
        XCTAssertTrue(config.stdout.contains(#""data":"\#(rkt.root)/data""#), config.stdout)

        try Data("not json".utf8).write(to: URL(fileURLWithPath: pathsDirectory + "/broken.json"))
        let broken = try rkt.run(["config"])
        XCTAssertEqual(broken.status, 254)
        XCTAssertTrue(broken.stderr.contains("broken.json"), broken.stderr)
    }
}
