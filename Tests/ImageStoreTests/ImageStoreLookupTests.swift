import Foundation
import ImageStore
import ImageTestSupport
import LinuxSupport
import XCTest

final class ImageStoreLookupTests: XCTestCase {
    private var fixture: ACIFixture!
    private var store: ImageStore!

    override func setUpWithError() throws {
        fixture = try ACIFixture()
        store = try ImageStore(dataDirectory: fixture.directory + "/data")
    }

    override func tearDown() {
        fixture.cleanUp()
    }

    private func importImage(_ name: String, version: String?, file: String = "f") throws -> ImageRecord {
        let aci = try fixture.makeACI("\(name.replacingOccurrences(of: "/", with: "_"))-\(version ?? "none")-\(file)",
                                      manifest: ACIFixture.manifest(name: name, version: version), files: [file: file])
        return try store.importACI(path: aci, origin: "").record
    }

    func testResolvesByIDPrefixFullIDAndName() throws {
        let old = try importImage("example.com/app", version: "1.0")
        let new = try importImage("example.com/app", version: "2.0")
        XCTAssertEqual(try store.resolve(old.key), old)
        XCTAssertEqual(try store.resolve(String(old.key.prefix(20)).uppercased().replacingOccurrences(of: "SHA512-", with: "sha512-")), old)
        XCTAssertEqual(try store.resolve("example.com/app:1.0").key, old.key)
        XCTAssertEqual(try store.resolve("example.com/app,version=2.0").key, new.key)
        XCTAssertEqual(try store.resolve("example.com/app").key, new.key, "newest import wins")
    }

    func testUnknownImagesAreNotFound() throws {
        _ = try importImage("example.com/a", version: "1.0")
        XCTAssertThrowsError(try store.resolve("example.com/absent")) { error in
            XCTAssertEqual(error as? StoreError, .imageNotFound("example.com/absent"))
        }
        XCTAssertThrowsError(try store.resolve("example.com/a:9.9")) { error in
            XCTAssertEqual(error as? StoreError, .imageNotFound("example.com/a:9.9"))
        }
        XCTAssertThrowsError(try store.resolve("sha512-")) { error in
            XCTAssertEqual(error as? StoreError, .invalidReference("sha512-"))
        }
    }

    func testSharedPrefixIsAmbiguous() throws {
        // 17 images: by the pigeonhole principle two keys share their first hex digit.
        for index in 0..<17 { _ = try importImage("example.com/img\(index)", version: nil) }
        let groups = Dictionary(grouping: try store.images().map(\.key)) { $0.dropFirst(7).prefix(1) }
        let (digit, keys) = try XCTUnwrap(groups.first { $0.value.count > 1 })
        XCTAssertThrowsError(try store.resolve("sha512-" + digit)) { error in
            XCTAssertEqual(error as? StoreError, .ambiguousReference("sha512-" + digit, candidates: keys.sorted()))
        }
    }

    func testRemoveDeletesRowBlobAndTrees() throws {
        let record = try importImage("example.com/app", version: "1.0")
        let tree = try store.renderTree(for: record)
        XCTAssertTrue(FileSystem.exists(tree.rootfs + "/f"))
        try store.remove(record)
        XCTAssertFalse(FileSystem.exists(store.layout.blobPath(key: record.key)))
        XCTAssertFalse(FileSystem.exists(tree.directory))
        XCTAssertThrowsError(try store.resolve(record.key))
        XCTAssertThrowsError(try store.remove(record)) { error in
            XCTAssertEqual(error as? StoreError, .imageNotFound(record.key))
        }
    }
}
