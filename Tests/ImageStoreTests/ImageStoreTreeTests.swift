import Foundation
import ImageStore
import ImageTestSupport
import LinuxSupport
import XCTest

final class ImageStoreTreeTests: XCTestCase {
    private var fixture: ACIFixture!
    private var store: ImageStore!

    override func setUpWithError() throws {
        fixture = try ACIFixture()
        store = try ImageStore(dataDirectory: fixture.directory + "/data")
    }

    override func tearDown() {
        fixture.cleanUp()
    }

    private func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    private func importImage(_ file: String, _ manifest: [String: Any], _ files: [String: String]) throws -> ImageRecord {
        try store.importACI(path: fixture.makeACI(file, manifest: manifest, files: files), origin: "").record
    }

    func testDependenciesAreLayeredBeneathTheImageInOrder() throws {
        _ = try importImage("base", ACIFixture.manifest(name: "example.com/base", version: "1"),
                            ["etc/os": "base", "etc/shared": "base", "bin/sh": "sh"])
        _ = try importImage("middle", ACIFixture.manifest(name: "example.com/middle", version: "1"),
                            ["etc/shared": "middle", "lib/x": "x"])
        let app = try importImage("app", ACIFixture.manifest(name: "example.com/app", version: "1", dependencies: [
            ["imageName": "example.com/middle", "labels": [["name": "version", "value": "1"]]],
            ["imageName": "example.com/base"],
        ]), ["etc/app": "app", "etc/os": "app"])

        let output = fixture.directory + "/rendered"
        try store.render(app, into: output, rootfsOnly: false)
        XCTAssertEqual(read(output + "/rootfs/etc/os"), "app", "the image wins over its dependencies")
        XCTAssertEqual(read(output + "/rootfs/etc/shared"), "middle", "an earlier dependency wins over a later one")
        XCTAssertEqual(read(output + "/rootfs/bin/sh"), "sh")
        XCTAssertEqual(read(output + "/rootfs/lib/x"), "x")
        XCTAssertEqual(read(output + "/manifest"), app.manifestJSON)
    }

    func testPathWhitelistRestrictsTheRenderedTree() throws {
        _ = try importImage("base", ACIFixture.manifest(name: "example.com/base"),
                            ["bin/sh": "sh", "bin/extra": "no", "etc/passwd": "root"])
        let app = try importImage("app", ACIFixture.manifest(
            name: "example.com/app", dependencies: [["imageName": "example.com/base"]],
            pathWhitelist: ["/bin/sh", "/app/run"]), ["app/run": "run", "app/other": "no"])
        let output = fixture.directory + "/rootfs"
        try store.render(app, into: output, rootfsOnly: true)
        XCTAssertEqual(read(output + "/bin/sh"), "sh")
        XCTAssertEqual(read(output + "/app/run"), "run")
        XCTAssertNil(read(output + "/bin/extra"))
        XCTAssertNil(read(output + "/etc/passwd"))
        XCTAssertNil(read(output + "/app/other"))
    }

    func testExtractLeavesDependenciesOut() throws {
        _ = try importImage("base", ACIFixture.manifest(name: "example.com/base"), ["bin/sh": "sh"])
        let app = try importImage("app", ACIFixture.manifest(
            name: "example.com/app", dependencies: [["imageName": "example.com/base"]]), ["app": "a"])
        let output = fixture.directory + "/extracted"
        try store.extract(app, into: output, rootfsOnly: false)
        XCTAssertEqual(read(output + "/rootfs/app"), "a")
        XCTAssertNil(read(output + "/rootfs/bin/sh"))
    }

    func testMissingDependencyNamesIt() throws {
        let app = try importImage("app", ACIFixture.manifest(
            name: "example.com/app", dependencies: [["imageName": "example.com/absent"]]), ["app": "a"])
        let output = fixture.directory + "/out"
        XCTAssertThrowsError(try store.render(app, into: output, rootfsOnly: false)) { error in
            XCTAssertEqual(error as? StoreError, .dependencyNotFound(image: "example.com/app", dependency: "example.com/absent"))
        }
        XCTAssertFalse(FileSystem.exists(output), "a failed render leaves nothing behind")
    }

    func testDependencyCycleIsRefused() throws {
        _ = try importImage("a", ACIFixture.manifest(name: "example.com/a", dependencies: [["imageName": "example.com/b"]]), [:])
        let b = try importImage("b", ACIFixture.manifest(name: "example.com/b", dependencies: [["imageName": "example.com/a"]]), [:])
        XCTAssertThrowsError(try store.renderTree(for: b)) { error in
            guard case .dependencyCycle = error as? StoreError else { return XCTFail("\(error)") }
        }
    }

    func testTreeIsRenderedOnceAndReused() throws {
        let app = try importImage("app", ACIFixture.manifest(name: "example.com/app"), ["file": "original"])
        let first = try store.renderTree(for: app)
        XCTAssertEqual(read(first.rootfs + "/file"), "original")
        // Change the rendered tree: a second render that reused it shows the change, a re-render would not.
        try Data("changed".utf8).write(to: URL(fileURLWithPath: first.rootfs + "/file"))
        let second = try store.renderTree(for: app)
        XCTAssertEqual(second.id, first.id)
        XCTAssertEqual(read(second.rootfs + "/file"), "changed")
        XCTAssertGreaterThan(try store.resolve(app.key).treeSize, 0)
        XCTAssertEqual(try FileSystem.entries(of: store.layout.temporary), [])
    }
}
