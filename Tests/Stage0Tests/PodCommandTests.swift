import Foundation
import ImageTestSupport
import XCTest

/// Pod commands that need neither root nor a running pod: preparing (no mounts happen before run), listing,
/// inspecting, removing and collecting prepared pods, and the refusals of `rkt run`.
final class PodCommandTests: RktTestCase {
    private var stage1 = ""

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
            throw XCTSkip("the busybox test image needs busybox-static (/bin/busybox)")
        }
        try super.setUpWithError()
        let busybox = fixture.directory + "/busybox.aci"
        try ACIFixture.run(PodHarness.repositoryRoot + "/scripts/make-busybox-aci.sh", [busybox])
        XCTAssertEqual(try rkt.run(["fetch", "--insecure-options=image", busybox]).status, 0)
        let binary = URL(fileURLWithPath: RktProcess.binary).deletingLastPathComponent().appendingPathComponent("stage1-fly").path
        stage1 = fixture.directory + "/stage1-fly.aci"
        try ACIFixture.run(PodHarness.repositoryRoot + "/scripts/make-stage1-fly-aci.sh", [binary, stage1, "0.0.0-test"])
    }

    private func run(_ arguments: [String]) throws -> RktProcess.Result {
        try rkt.run(arguments, globalsFirst: true)
    }

    private func prepare(_ appArguments: [String] = []) throws -> String {
        let result = try run(["prepare", "--stage1-path=\(stage1)", "example.com/busybox"] + appArguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testPreparedPodListStatusManifestAndRemove() throws {
        let uuid = try prepare(["--exec", "/bin/echo", "--", "hello", "---"])
        XCTAssertEqual(uuid.count, 36)

        let list = try run(["list"])
        let lines = list.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, list.stdout)
        XCTAssertTrue(lines[0].hasPrefix("UUID") && lines[0].contains("STATE"), lines[0])
        let columns = lines[1].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        XCTAssertEqual(Array(columns.prefix(2)), [String(uuid.prefix(8)), "busybox"], lines[1])
        XCTAssertTrue(columns[2].hasPrefix("example.com/busybox:"), "name:version: \(lines[1])")
        XCTAssertEqual(columns[3], "prepared")

        let status = try run(["status", uuid])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.hasPrefix("state=prepared\ncreated="), status.stdout)
        XCTAssertTrue(status.stdout.hasSuffix("exited=false\n"), status.stdout)

        let manifest = try run(["cat-manifest", "--pretty-print=false", String(uuid.prefix(6))])
        XCTAssertEqual(manifest.status, 0, manifest.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(manifest.stdout.utf8)) as? [String: Any])
        let apps = try XCTUnwrap(object["apps"] as? [[String: Any]])
        XCTAssertEqual((apps.first?["app"] as? [String: Any])?["exec"] as? [String], ["/bin/echo", "hello"])

        let removed = try run(["rm", uuid])
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertEqual(try run(["list", "--no-legend"]).stdout, "")
    }

    func testGCExpiresPreparedPods() throws {
        let uuid = try prepare()
        XCTAssertEqual(try run(["gc"]).status, 0)
        XCTAssertTrue(try run(["list", "--no-legend"]).stdout.contains("prepared"), "24h have not passed")
        let gc = try run(["gc", "--expire-prepared=0s"])
        XCTAssertEqual(gc.status, 0, gc.stderr)
        XCTAssertTrue(gc.stderr.contains("Moving pod \"\(uuid)\" to garbage"), gc.stderr)
        XCTAssertTrue(gc.stdout.contains("Garbage collecting pod \"\(uuid)\""), gc.stdout)
        XCTAssertEqual(try run(["list", "--no-legend"]).stdout, "")
    }

    func testStage1Refusals() throws {
        let both = try run(["run", "--stage1-path=\(stage1)", "--stage1-name=coreos.com/rkt/stage1-fly", "example.com/busybox"])
        XCTAssertEqual(both.status, 254)
        XCTAssertTrue(both.stderr.contains("mutually exclusive"), both.stderr)

        let none = try run(["run", "example.com/busybox"])
        XCTAssertEqual(none.status, 254)
        XCTAssertTrue(none.stderr.contains("no stage1 image"), none.stderr)

        let unknownName = try run(["run", "--stage1-name=coreos.com/rkt/stage1-nothing", "example.com/busybox"])
        XCTAssertEqual(unknownName.status, 254)
        XCTAssertTrue(unknownName.stderr.contains("stage1-nothing.aci"), unknownName.stderr)

        let app = try fixture.makeACI("plain", manifest: ACIFixture.manifest(name: "example.com/plain"), files: ["x": "y"])
        let notStage1 = try run(["run", "--stage1-path=\(app)", "example.com/busybox"])
        XCTAssertEqual(notStage1.status, 254)
        XCTAssertTrue(notStage1.stderr.contains("is not a stage1 image"), notStage1.stderr)
        XCTAssertEqual(try run(["list", "--no-legend"]).stdout, "", "refused pods leave nothing behind")
    }

    func testStage1ByNameFromTheConfiguredImagesDirectory() throws {
        let images = fixture.directory + "/stage1-images"
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: stage1, toPath: images + "/stage1-fly.aci")
        try FileManager.default.createDirectory(atPath: rkt.root + "/local/paths.d", withIntermediateDirectories: true)
        try Data("{\"rktKind\":\"paths\",\"rktVersion\":\"v1\",\"stage1-images\":\"\(images)\"}".utf8)
            .write(to: URL(fileURLWithPath: rkt.root + "/local/paths.d/paths.json"))
        let byName = try run(["prepare", "--stage1-name=coreos.com/rkt/stage1-fly", "example.com/busybox"])
        XCTAssertEqual(byName.status, 0, byName.stderr)
        let fromDirectory = try run(["prepare", "--stage1-from-dir=stage1-fly.aci", "example.com/busybox"])
        XCTAssertEqual(fromDirectory.status, 0, fromDirectory.stderr)
        let escaping = try run(["prepare", "--stage1-from-dir=../stage1-fly.aci", "example.com/busybox"])
        XCTAssertEqual(escaping.status, 254)
        XCTAssertTrue(escaping.stderr.contains("file name inside the stage1 images directory"), escaping.stderr)
        let byDefault = try run(["prepare", "example.com/busybox"])
        XCTAssertEqual(byDefault.status, 0, byDefault.stderr)
        XCTAssertTrue(try run(["image", "list"]).stdout.contains("coreos.com/rkt/stage1-fly:0.0.0-test"))
    }

    func testStage1FromTheStage1Configuration() throws {
        try FileManager.default.createDirectory(atPath: rkt.root + "/system/stage1.d", withIntermediateDirectories: true)
        let configuration = "{\"rktKind\":\"stage1\",\"rktVersion\":\"v1\",\"name\":\"coreos.com/rkt/stage1-fly\","
            + "\"version\":\"0.0.0-test\",\"location\":\"file://\(stage1)\"}"
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: rkt.root + "/system/stage1.d/fly.json"))
        let located = try run(["prepare", "example.com/busybox"])
        XCTAssertEqual(located.status, 0, "imported from the configured location: \(located.stderr)")
        try FileManager.default.removeItem(atPath: stage1)
        let byName = try run(["prepare", "example.com/busybox"])
        XCTAssertEqual(byName.status, 0, "found in the store by the configured name and version: \(byName.stderr)")
    }

    func testAChangedStage1FileIsImportedAgain() throws {
        XCTAssertEqual(try run(["prepare", "--stage1-path=\(stage1)", "example.com/busybox"]).status, 0)
        XCTAssertEqual(try run(["prepare", "--stage1-path=\(stage1)", "example.com/busybox"]).status, 0)
        func stage1Images() throws -> [String] {
            let list = try run(["image", "list", "--no-legend"]).stdout.split(separator: "\n").map(String.init)
            return list.filter { $0.contains("coreos.com/rkt/stage1-fly") }
        }
        XCTAssertEqual(try stage1Images().count, 1)
        let binary = URL(fileURLWithPath: RktProcess.binary).deletingLastPathComponent().appendingPathComponent("stage1-fly").path
        try ACIFixture.run(PodHarness.repositoryRoot + "/scripts/make-stage1-fly-aci.sh", [binary, stage1, "0.0.1-rebuilt"])
        XCTAssertEqual(try run(["prepare", "--stage1-path=\(stage1)", "example.com/busybox"]).status, 0)
        let images = try stage1Images()
        XCTAssertEqual(images.count, 2, images.joined(separator: "\n"))
        XCTAssertTrue(images.contains { $0.contains("stage1-fly:0.0.1-rebuilt") })
    }

    func testStage1ByURLAndByHash() throws {
        let byURL = try run(["prepare", "--stage1-url=file://\(stage1)", "example.com/busybox"])
        XCTAssertEqual(byURL.status, 0, byURL.stderr)
        let images = try run(["image", "list", "--format=json"])
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(images.stdout.utf8)) as? [[String: Any]])
        let key = try XCTUnwrap(list.first { ($0["name"] as? String)?.hasPrefix("coreos.com/rkt/stage1-fly") == true }?["id"] as? String)
        let byHash = try run(["prepare", "--stage1-hash=\(key.prefix(20))", "example.com/busybox"])
        XCTAssertEqual(byHash.status, 0, byHash.stderr)
        let remote = try run(["prepare", "--stage1-url=https://example.com/stage1.aci", "example.com/busybox"])
        XCTAssertEqual(remote.status, 254)
        XCTAssertTrue(remote.stderr.contains("only file:// URLs"), remote.stderr)
        XCTAssertEqual(try run(["list", "--no-legend"]).stdout.split(separator: "\n").count, 2)
    }

    func testUnknownPodsAndBadFlags() throws {
        let status = try run(["status", "0123abcd"])
        XCTAssertEqual(status.status, 254)
        XCTAssertTrue(status.stderr.contains("no pod matches 0123abcd"), status.stderr)
        let wait = try run(["status", "--wait=soon", "0123abcd"])
        XCTAssertEqual(wait.status, 254)
        XCTAssertTrue(wait.stderr.contains("--wait=soon"), wait.stderr)
        let invalid = try run(["rm", "../../etc"])
        XCTAssertEqual(invalid.status, 254)
        XCTAssertTrue(invalid.stderr.contains("not a valid pod UUID"), invalid.stderr)
        let misplaced = try run(["run", "--stage1-path=\(stage1)", "example.com/busybox", "--user"])
        XCTAssertEqual(misplaced.status, 254)
        XCTAssertTrue(misplaced.stderr.contains("--user needs a value"), misplaced.stderr)
    }

    func testWaitFlagsTakeOptionalValues() throws {
        for flags in [["--wait"], ["--wait-ready"], ["--wait", "--wait-ready=1s"], ["--wait=2m"]] {
            let result = try run(["status"] + flags + ["0123abcd"])
            XCTAssertEqual(result.status, 254)
            XCTAssertTrue(result.stderr.contains("no pod matches 0123abcd"), "\(flags): \(result.stderr)")
        }
    }
}
