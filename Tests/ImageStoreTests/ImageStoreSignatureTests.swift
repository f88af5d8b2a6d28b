import Foundation
import ImageStore
import ImageTestSupport
import LinuxSupport
import XCTest

/// Imports with a verification step: the check sees the bytes as fetched and the manifest, runs before
/// anything is stored, and a passed check's signature is kept beside the blob.
final class ImageStoreSignatureTests: XCTestCase {
    private struct Refused: Error {}
    private var fixture: ACIFixture!
    private var store: ImageStore!

    override func setUpWithError() throws {
        fixture = try ACIFixture()
        store = try ImageStore(dataDirectory: fixture.directory + "/data")
    }

    override func tearDown() {
        fixture.cleanUp()
    }

    func testARefusedCheckStoresNothing() throws {
        let aci = try fixture.makeACI("app", manifest: ACIFixture.manifest(name: "example.com/app"), files: ["a": "1"])
        var seenName = ""
        XCTAssertThrowsError(try store.importACI(path: aci, origin: "file://" + aci, verify: { signed, manifest in
            seenName = manifest.name.description
            XCTAssertEqual(FileManager.default.contents(atPath: signed), FileManager.default.contents(atPath: aci))
            throw Refused()
        })) { XCTAssertTrue($0 is Refused) }
        XCTAssertEqual(seenName, "example.com/app")
        XCTAssertEqual(try store.images(), [])
        XCTAssertEqual(try FileSystem.entries(of: store.layout.blobs), [])
        XCTAssertEqual(try FileSystem.entries(of: store.layout.temporary), [])
        XCTAssertEqual(try FileSystem.entries(of: store.layout.signatures), [])
    }

    func testPlainTarSignaturesPointAtTheBlobAndCompressedOnesKeepTheOriginal() throws {
        let plain = try fixture.makeACI("plain", manifest: ACIFixture.manifest(name: "example.com/p"), files: ["a": "1"])
        let packed = try fixture.makeACI("packed", manifest: ACIFixture.manifest(name: "example.com/z"), files: ["b": "2"],
                                         compress: "gzip")
        let signature = ImageSignature(signer: String(repeating: "a", count: 40), signature: Array("sig".utf8))
        let first = try store.importACI(path: plain, origin: "file://" + plain, verify: { _, _ in signature }).record
        let second = try store.importACI(path: packed, origin: "file://" + packed, verify: { _, _ in signature }).record
        XCTAssertEqual(first.signer, signature.signer)
        let plainFiles = try XCTUnwrap(try store.signatureFiles(of: first))
        XCTAssertEqual(plainFiles.signed, store.layout.blobPath(key: first.key))
        XCTAssertEqual(FileManager.default.contents(atPath: plainFiles.signature), Data("sig".utf8))
        let packedFiles = try XCTUnwrap(try store.signatureFiles(of: second))
        XCTAssertEqual(FileManager.default.contents(atPath: packedFiles.signed), FileManager.default.contents(atPath: packed))

        // A kept original that no longer decompresses to the blob is reported, not trusted.
        let other = try fixture.makeACI("other", manifest: ACIFixture.manifest(name: "example.com/o"), files: [:],
                                        compress: "gzip")
        try FileManager.default.removeItem(atPath: packedFiles.signed)
        try FileManager.default.copyItem(atPath: other, toPath: packedFiles.signed)
        XCTAssertThrowsError(try store.signatureFiles(of: second)) { error in
            XCTAssertTrue("\(error)".contains("no longer decompresses"), "\(error)")
        }

        try store.remove(first)
        XCTAssertFalse(FileSystem.exists(plainFiles.signature))
        XCTAssertEqual(try FileSystem.entries(of: store.layout.temporary), [])
    }

    func testGarbageCollectionRemovesSignaturesWithoutAnImage() throws {
        let orphan = "sha512-" + String(repeating: "ef", count: 32)
        try AtomicFile.write(Array("sig".utf8), to: store.layout.signaturePath(key: orphan))
        try AtomicFile.write(Array("gz".utf8), to: store.layout.signedCopyPath(key: orphan))
        let aci = try fixture.makeACI("kept", manifest: ACIFixture.manifest(name: "example.com/k"), files: [:])
        let kept = try store.importACI(path: aci, origin: "file://" + aci, verify: { _, _ in
            ImageSignature(signer: String(repeating: "b", count: 40), signature: Array("s".utf8))
        }).record
        let report = try store.garbageCollect(gracePeriod: 1e9)
        XCTAssertEqual(report.removedOrphanSignatures, [orphan + ".asc", orphan + ".signed"])
        XCTAssertTrue(FileSystem.exists(store.layout.signaturePath(key: kept.key)))
    }
}
