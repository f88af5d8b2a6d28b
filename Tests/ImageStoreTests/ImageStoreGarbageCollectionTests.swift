import Foundation
import ImageStore
import ImageTestSupport
import LinuxSupport
import XCTest

final class ImageStoreGarbageCollectionTests: XCTestCase {
    private var fixture: ACIFixture!
    private var store: ImageStore!

    override func setUpWithError() throws {
        fixture = try ACIFixture()
        store = try ImageStore(dataDirectory: fixture.directory + "/data")
    }

    override func tearDown() {
        fixture.cleanUp()
    }

    func testGracePeriodKeepsRecentlyUsedImages() throws {
        let aci = try fixture.makeACI("app", manifest: ACIFixture.manifest(name: "example.com/app"), files: ["f": "1"])
        let record = try store.importACI(path: aci, origin: "").record
        XCTAssertEqual(try store.garbageCollect(gracePeriod: 3600).removedImages, [])
        let report = try store.garbageCollect(gracePeriod: 0)
        XCTAssertEqual(report.removedImages.map(\.key), [record.key])
        XCTAssertEqual(try store.images(), [])
        XCTAssertFalse(FileSystem.exists(store.layout.blobPath(key: record.key)))
    }

    func testOrphanBlobsTreesAndDeadTemporaryFilesAreRemoved() throws {
        let orphanKey = "sha512-" + String(repeating: "ab", count: 32)
        let orphanBlob = store.layout.blobPath(key: orphanKey)
        try FileSystem.makeDirectories(AtomicFile.parentDirectory(of: orphanBlob))
        try AtomicFile.write([1, 2, 3], to: orphanBlob)
        try FileSystem.makeDirectories(store.layout.treeDirectory(id: "deps-stale") + "/rootfs")
        // PID 2^22+1 is above Linux's pid_max limit, so no process has it.
        let dead = store.layout.temporary + "/import-4194305-1"
        let alive = store.layout.temporary + "/import-\(getpid())-1"
        try AtomicFile.write([0], to: dead)
        try AtomicFile.write([0], to: alive)

        let report = try store.garbageCollect(gracePeriod: 86400)

        XCTAssertEqual(report.removedOrphanBlobs, [orphanKey])
        XCTAssertEqual(report.removedTrees, ["deps-stale"])
        XCTAssertEqual(report.removedTemporaryFiles, ["import-4194305-1"])
        XCTAssertFalse(FileSystem.exists(orphanBlob))
        XCTAssertFalse(FileSystem.exists(dead))
        XCTAssertTrue(FileSystem.exists(alive), "a live process's temporary file is kept")
    }
}
