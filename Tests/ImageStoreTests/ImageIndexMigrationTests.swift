import Foundation
@testable import ImageStore
import XCTest

/// Schema version 1 (before signatures) databases are migrated to version 2 in place, keeping their rows.
final class ImageIndexMigrationTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "rkt-migration-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A database exactly as schema version 1 wrote it, with one image.
    private func makeVersion1Database(at path: String, version: Int64 = 1) throws {
        let database = try SQLiteDatabase(path: path)
        try database.execute("""
            CREATE TABLE images (key TEXT PRIMARY KEY, name TEXT NOT NULL, manifest TEXT NOT NULL,
                import_time INTEGER NOT NULL, last_used INTEGER NOT NULL, size INTEGER NOT NULL,
                tree_size INTEGER NOT NULL DEFAULT 0, origin TEXT NOT NULL);
            CREATE INDEX images_by_name ON images(name);
            CREATE TABLE trees (id TEXT PRIMARY KEY, image_key TEXT NOT NULL, size INTEGER NOT NULL,
                rendered_time INTEGER NOT NULL);
            CREATE INDEX trees_by_image ON trees(image_key);
            CREATE TABLE schema (version INTEGER NOT NULL);
            INSERT INTO images VALUES ('sha512-\(String(repeating: "ab", count: 32))', 'example.com/old', '{}',
                1, 2, 3, 4, 'file:///old.aci');
            """)
        try database.prepare("INSERT INTO schema (version) VALUES (?)").run([.integer(version)])
    }

    private func schemaVersion(_ path: String) throws -> Int64 {
        let statement = try SQLiteDatabase(path: path).prepare("SELECT version FROM schema")
        try statement.bind([])
        XCTAssertTrue(try statement.step())
        return statement.integer(0)
    }

    func testVersion1RowsSurviveAndGainAnEmptySigner() throws {
        let path = directory + "/rkt.sqlite"
        try makeVersion1Database(at: path)
        let index = try ImageIndex(path: path)
        let records = try index.allRecords()
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(records[0].name, "example.com/old")
        XCTAssertEqual(records[0].origin, "file:///old.aci")
        XCTAssertEqual(records[0].treeSize, 4)
        XCTAssertEqual(records[0].signer, "")
        XCTAssertEqual(try schemaVersion(path), 2)
        _ = try ImageIndex(path: path)  // opening a migrated database again changes nothing
        XCTAssertEqual(try schemaVersion(path), 2)
    }

    func testSignerIsSetByVerifiedImportsAndKeptByUnverifiedOnes() throws {
        let index = try ImageIndex(path: directory + "/new.sqlite")
        var record = ImageRecord(key: "sha512-" + String(repeating: "cd", count: 32), name: "example.com/app",
                                 manifestJSON: "{}", importTime: 1, lastUsed: 1, size: 10, origin: "file:///a.aci")
        try index.upsert(record)
        XCTAssertEqual(try index.record(key: record.key)?.signer, "")
        record.signer = String(repeating: "a", count: 40)
        try index.upsert(record)
        record.signer = ""
        try index.upsert(record)
        XCTAssertEqual(try index.record(key: record.key)?.signer, String(repeating: "a", count: 40))
    }

    func testNewerSchemaVersionsAreRefused() throws {
        let path = directory + "/future.sqlite"
        try makeVersion1Database(at: path, version: 3)
        XCTAssertThrowsError(try ImageIndex(path: path)) { error in
            XCTAssertTrue("\(error)".contains("unsupported store schema version 3"), "\(error)")
        }
    }
}
