import Foundation
import ImageStore
import ImageTestSupport
import LinuxSupport
import XCTest

final class ImageStoreImportTests: XCTestCase {
    private var fixture: ACIFixture!
    private var store: ImageStore!

    override func setUpWithError() throws {
        fixture = try ACIFixture()
        store = try ImageStore(dataDirectory: fixture.directory + "/data")
    }

    override func tearDown() {
        fixture.cleanUp()
    }

    private func blobCount() throws -> Int {
        try FileSystem.entries(of: store.layout.blobs).reduce(0) { count, fanout in
            count + (try FileSystem.entries(of: store.layout.blobs + "/" + fanout).count)
        }
    }

    func testImportKeyIsFirst64HexOfSHA512OfTheTar() throws {
        let aci = try fixture.makeACI("app", manifest: ACIFixture.manifest(name: "example.com/app", version: "1.0"),
                                      files: ["bin/hello": "hello"])
        let result = try store.importACI(path: aci, origin: "file://" + aci)
        let expected = try ACIFixture.sha512sum(aci)
        XCTAssertEqual(result.record.key, "sha512-" + expected.prefix(64))
        XCTAssertEqual(result.record.name, "example.com/app")
        XCTAssertEqual(result.record.size, FileSystem.fileSize(aci))
        XCTAssertFalse(result.alreadyStored)
    }

    func testImportingTheSameImageTwiceStoresOneBlob() throws {
        let aci = try fixture.makeACI("app", manifest: ACIFixture.manifest(name: "example.com/app"), files: ["a": "1"])
        let first = try store.importACI(path: aci, origin: "file://" + aci)
        let second = try store.importACI(path: aci, origin: "file://" + aci)
        XCTAssertEqual(first.record.key, second.record.key)
        XCTAssertTrue(second.alreadyStored)
        XCTAssertEqual(second.record.importTime, first.record.importTime)
        XCTAssertEqual(try blobCount(), 1)
        XCTAssertEqual(try store.images().count, 1)
    }

    func testCompressedImagesGetTheKeyOfTheUncompressedTar() throws {
        let manifest = ACIFixture.manifest(name: "example.com/app")
        let plain = try fixture.makeACI("plain", manifest: manifest, files: ["f": "x"])
        let key = try store.importACI(path: plain, origin: "").record.key
        for (compression, tool) in [("gzip", "gzip"), ("bzip2", "bzip2"), ("xz", "xz")] {
            let compressed = try fixture.makeACI("c-\(compression)", manifest: manifest, files: ["f": "x"],
                                                 compress: compression)
            XCTAssertEqual(try store.importACI(path: compressed, origin: "").record.key, key, compression)
            XCTAssertEqual("sha512-" + (try ACIFixture.sha512sum(compressed, decompressWith: tool)).prefix(64), key)
        }
        XCTAssertEqual(try blobCount(), 1)
    }

    func testInvalidManifestIsRefusedAndLeavesNothingBehind() throws {
        var manifest = ACIFixture.manifest(name: "example.com/app")
        manifest["name"] = "Not A Valid Name"
        let aci = try fixture.makeACI("bad", manifest: manifest, files: [:])
        XCTAssertThrowsError(try store.importACI(path: aci, origin: "")) { error in
            XCTAssertTrue("\(error)".contains(aci), "\(error)")
            XCTAssertTrue("\(error)".contains("name"), "\(error)")
        }
        XCTAssertEqual(try blobCount(), 0)
        XCTAssertEqual(try FileSystem.entries(of: store.layout.temporary), [])
        XCTAssertEqual(try store.images().count, 0)
    }

    func testNonTarInputIsRefused() throws {
        let path = fixture.directory + "/garbage.aci"
        try Data("this is not a tar archive at all".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try store.importACI(path: path, origin: ""))
        XCTAssertEqual(try FileSystem.entries(of: store.layout.temporary), [])
    }

    func testMissingFileErrorNamesThePath() throws {
        let path = fixture.directory + "/absent.aci"
        XCTAssertThrowsError(try store.importACI(path: path, origin: "")) { error in
            XCTAssertEqual("\(error)", "open \(path): No such file or directory")
        }
    }
}
