import AppC
import Foundation
import ImageStore
import ImageTestSupport
import OCI
import XCTest

/// Device nodes in an image are left out of its tree with a note naming image and layer; a refused
/// entry's error names the image and the layer too.
final class ImageStoreDeviceNodeTests: XCTestCase {
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

    private func storeLayer(bytes: [UInt8]) throws -> OCIDigest {
        let digest = OCIDigest.of(bytes)
        let writer = try store.makeLayerWriter(for: OCIDescriptor(
            mediaType: OCIMediaType.ociLayer, digest: digest, size: Int64(bytes.count)))
        try writer.write(bytes)
        try writer.commit()
        return digest
    }

    private func importImage(_ name: String, layers: [OCIDigest]) throws -> ImageRecord {
        let manifest = try AppCImageConversion(
            config: OCIImageConfig(cmd: ["/bin/sh"]), name: name, tag: "1",
            manifestDigest: OCIDigest.of(Array(name.utf8)), layers: layers).manifest().manifest
        return try store.importLayeredImage(manifest: manifest, origin: "oci-layout:x").record
    }

    func testDeviceNodesAreLeftOutWithANoteNamingImageAndLayer() throws {
        guard geteuid() == 0 else { throw XCTSkip("mknod needs root") }
        var devices = OCILayoutBuilder.Layer(files: ["etc/os": "debian"], directories: ["dev"])
        devices.characterDevices = ["dev/console", "dev/null"]
        let descriptor = try builder.addLayer(devices)
        let digest = try OCIDigest(descriptor["digest"] as! String)
        let layer = try storeLayer(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: builder.blobPath(digest)))))
        let record = try importImage("example.com/debian", layers: [layer])
        var notes: [String] = []
        store.renderNote = { notes.append($0) }

        let rootfs = try store.renderTree(for: record).rootfs
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: rootfs + "/dev"), [])
        XCTAssertEqual(try String(contentsOfFile: rootfs + "/etc/os", encoding: .utf8), "debian")
        XCTAssertEqual(notes.count, 2, "\(notes)")
        for (note, entry) in zip(notes, ["./dev/console", "./dev/null"]) {
            XCTAssertTrue(note.contains("\"\(entry)\""), note)
            XCTAssertTrue(note.contains("example.com/debian (sha512-"), note)
            XCTAssertTrue(note.contains("layer \(layer)"), note)
        }
    }

    func testARefusedLayerEntryNamesTheImageAndTheLayer() throws {
        let tar = fixture.directory + "/hostile.tar"
        let script = """
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], "w") as tar:
                info = tarfile.TarInfo("../escape")
                info.size = 1
                tar.addfile(info, io.BytesIO(b"x"))
            """
        try ACIFixture.run("/usr/bin/env", ["python3", "-c", script, tar])
        let layer = try storeLayer(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: tar))))
        let record = try importImage("example.com/hostile", layers: [layer])
        XCTAssertThrowsError(try store.renderTree(for: record)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("image example.com/hostile (sha512-"), text)
            XCTAssertTrue(text.contains("layer \(layer)"), text)
            XCTAssertTrue(text.contains("refusing archive entry \"../escape\""), text)
        }
    }
}
