import AppC
import Foundation
import ImageStore
import ImageTestSupport
import LinuxSupport
import OCI
import XCTest

/// OCI images in the store: layers stored once by digest and shared, the generated ACI row, rendering
/// with whiteouts, removal and gc of layers no image lists.
final class ImageStoreLayeredImageTests: XCTestCase {
    private var fixture: ACIFixture!
    private var store: ImageStore!
    private var builder: OCILayoutBuilder!

    override func setUpWithError() throws {
        fixture = try ACIFixture()
        store = try ImageStore(dataDirectory: fixture.directory + "/data")
        builder = try OCILayoutBuilder(directory: fixture.directory + "/layout")
    }

    override func tearDown() {
        fixture.cleanUp()
    }

    private func storeLayer(_ layer: OCILayoutBuilder.Layer) throws -> OCIDigest {
        let descriptorObject = try builder.addLayer(layer)
        let digest = try OCIDigest(descriptorObject["digest"] as! String)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: builder.blobPath(digest))))
        let writer = try store.makeLayerWriter(for: OCIDescriptor(
            mediaType: OCIMediaType.ociLayerGzip, digest: digest, size: Int64(bytes.count)))
        try writer.write(bytes)
        try writer.commit()
        return digest
    }

    private func manifest(_ name: String, layers: [OCIDigest]) throws -> ImageManifest {
        try AppCImageConversion(config: OCIImageConfig(cmd: ["/bin/sh"]), name: name, tag: "1",
                                manifestDigest: OCIDigest.of(Array(name.utf8)), layers: layers).manifest().manifest
    }

    func testLayersAreSharedRenderedInOrderAndCollectedWhenUnused() throws {
        let base = try storeLayer(.init(files: ["etc/os": "base", "etc/old": "x", "var/a": "a"],
                                        directories: ["usr/bin"], symlinks: ["bin": "usr/bin"]))
        let top = try storeLayer(.init(files: ["bin/tool": "tool", "var/b": "b"], whiteouts: ["etc/old"],
                                       opaqueDirectories: ["var"]))
        let one = try store.importLayeredImage(manifest: manifest("example.com/one", layers: [base, top]), origin: "oci-layout:x").record
        let two = try store.importLayeredImage(manifest: manifest("example.com/two", layers: [base]), origin: "oci-layout:y").record
        XCTAssertNotEqual(one.key, two.key)
        let layerBytes = [base, top].map { FileSystem.fileSize(store.layout.layerPath($0)) ?? 0 }.reduce(0, +)
        XCTAssertGreaterThan(one.size, layerBytes, "the listed size counts the layers")
        XCTAssertEqual(try store.resolve("example.com/one:1").key, one.key)
        // The same image again gives the same key.
        XCTAssertEqual(try store.importLayeredImage(manifest: manifest("example.com/one", layers: [base, top]), origin: "o").record.key, one.key)

        let tree = try store.renderTree(for: one)
        let rootfs = tree.rootfs
        XCTAssertEqual(try String(contentsOfFile: rootfs + "/etc/os", encoding: .utf8), "base")
        XCTAssertFalse(FileManager.default.fileExists(atPath: rootfs + "/etc/old"))
        XCTAssertEqual(try String(contentsOfFile: rootfs + "/usr/bin/tool", encoding: .utf8), "tool")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: rootfs + "/var"), ["b"])

        try store.remove(one)
        XCTAssertTrue(store.hasLayer(base), "still listed by the other image")
        XCTAssertFalse(store.hasLayer(top))
        _ = try store.garbageCollect(gracePeriod: 0)
        XCTAssertFalse(store.hasLayer(base))
        XCTAssertEqual(try store.images(), [])
    }

    func testAnOrdinaryACICarryingTheLayerListDoesNotGetTheLayers() throws {
        let layer = try storeLayer(.init(files: ["secret": "from another image"]))
        var manifest = ACIFixture.manifest(name: "example.com/sneaky", version: "1")
        manifest["annotations"] = [["name": AppCImageConversion.layersAnnotation, "value": layer.description]]
        let aci = try fixture.makeACI("sneaky", manifest: manifest, files: ["own": "file"])
        let record = try store.importACI(path: aci, origin: "file://" + aci).record
        let rootfs = try store.renderTree(for: record).rootfs
        XCTAssertTrue(FileManager.default.fileExists(atPath: rootfs + "/own"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: rootfs + "/secret"))
    }

    func testCorruptLayerBytesNeverReachTheStore() throws {
        let digest = OCIDigest.of(Array("the real bytes".utf8))
        let descriptor = OCIDescriptor(mediaType: OCIMediaType.ociLayer, digest: digest, size: 14)
        let writer = try store.makeLayerWriter(for: descriptor)
        try writer.write(Array("the fake bytes".utf8))
        XCTAssertThrowsError(try writer.commit()) { error in
            guard case OCIError.digestMismatch = error else { return XCTFail("\(error)") }
        }
        let tooLong = try store.makeLayerWriter(for: descriptor)
        XCTAssertThrowsError(try tooLong.write(Array("the real bytes and more".utf8)))
        XCTAssertFalse(store.hasLayer(digest))
        XCTAssertThrowsError(try store.importLayeredImage(manifest: manifest("example.com/x", layers: [digest]), origin: "o"))
        XCTAssertEqual(try store.images(), [])
    }
}
