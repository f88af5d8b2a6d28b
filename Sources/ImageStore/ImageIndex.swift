/// The SQLite index of the store: one row per image blob. Rows are written only after their blob is in place
/// and removed before their blob is deleted, so a row always names an existing blob (a crash between the two
/// steps leaves at most an orphan blob, which `rkt image gc` removes).
public final class ImageIndex {
    /// Version 1: the tables below. Version 2: `images.signer` (see `migrate(from:)`).
    static let schemaVersion: Int64 = 2
    private let database: SQLiteDatabase
    private static let columns = "key, name, manifest, import_time, last_used, size, tree_size, origin, signer"

    public init(path: String) throws {
        database = try SQLiteDatabase(path: path)
        try database.transaction {
            try database.execute("""
                CREATE TABLE IF NOT EXISTS images (
                    key TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    manifest TEXT NOT NULL,
                    import_time INTEGER NOT NULL,
                    last_used INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    tree_size INTEGER NOT NULL DEFAULT 0,
                    origin TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS images_by_name ON images(name);
                CREATE TABLE IF NOT EXISTS trees (
                    id TEXT PRIMARY KEY,
                    image_key TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    rendered_time INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS trees_by_image ON trees(image_key);
                CREATE TABLE IF NOT EXISTS schema (version INTEGER NOT NULL);
                """)
            let version = try database.prepare("SELECT version FROM schema")
            var found: Int64 = 1
            if try version.step() {
                found = version.integer(0)
            } else {
                // A new database: the tables just created are version 1; the migrations bring them up to date.
                try database.prepare("INSERT INTO schema (version) VALUES (?)").run([.integer(1)])
            }
            guard (1...Self.schemaVersion).contains(found) else {
                throw SQLiteError(code: 0, message: "unsupported store schema version \(found)", path: path)
            }
            try migrate(from: found)
        }
    }

    /// Brings a database at `version` up to `schemaVersion`, one step at a time, inside the opening
    /// transaction (so a failed migration leaves the database as it was).
    private func migrate(from version: Int64) throws {
        var version = version
        while version < Self.schemaVersion {
            switch version {
            case 1:
                // 1 → 2: the fingerprint of the key that verified the image; '' for images fetched unverified.
                try database.execute("ALTER TABLE images ADD COLUMN signer TEXT NOT NULL DEFAULT ''")
            default:
                break
            }
            version += 1
            try database.prepare("UPDATE schema SET version = ?").run([.integer(version)])
        }
    }

    /// Inserts a new image, or refreshes last-use time and origin of one already present (import time kept;
    /// the signer is replaced only by a verified fetch, never cleared by an unverified one).
    public func upsert(_ record: ImageRecord) throws {
        try database.prepare("""
            INSERT INTO images (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET last_used = excluded.last_used, origin = excluded.origin,
                signer = CASE WHEN excluded.signer != '' THEN excluded.signer ELSE images.signer END
            """).run([
                .text(record.key), .text(record.name), .text(record.manifestJSON), .integer(record.importTime),
                .integer(record.lastUsed), .integer(record.size), .integer(record.treeSize), .text(record.origin),
                .text(record.signer),
            ])
    }

    public func record(key: String) throws -> ImageRecord? {
        try query("WHERE key = ?", [.text(key)]).first
    }

    public func records(named name: String) throws -> [ImageRecord] {
        try query("WHERE name = ? ORDER BY import_time DESC", [.text(name)])
    }

    /// Images whose key starts with `sha512-` + `hexPrefix`.
    public func records(keyHexPrefix hexPrefix: String) throws -> [ImageRecord] {
        try query("WHERE substr(key, 1, ?) = ? ORDER BY key", [
            .integer(Int64(ImageKey.prefix.count + hexPrefix.count)), .text(ImageKey.prefix + hexPrefix),
        ])
    }

    public func allRecords() throws -> [ImageRecord] {
        try query("ORDER BY import_time, key", [])
    }

    public func touch(key: String, at time: Int64) throws {
        try database.prepare("UPDATE images SET last_used = ? WHERE key = ?").run([.integer(time), .text(key)])
    }

    public func setSize(key: String, bytes: Int64) throws {
        try database.prepare("UPDATE images SET size = ? WHERE key = ?").run([.integer(bytes), .text(key)])
    }

    public func setTreeSize(key: String, bytes: Int64) throws {
        try database.prepare("UPDATE images SET tree_size = ? WHERE key = ?").run([.integer(bytes), .text(key)])
    }

    /// Removes the row; returns whether there was one.
    @discardableResult
    public func remove(key: String) throws -> Bool {
        try database.transaction {
            let existed = try record(key: key) != nil
            try database.prepare("DELETE FROM images WHERE key = ?").run([.text(key)])
            return existed
        }
    }

    private func query(_ clause: String, _ values: [SQLiteStatement.Value]) throws -> [ImageRecord] {
        let statement = try database.prepare("SELECT \(Self.columns) FROM images \(clause)")
        try statement.bind(values)
        var rows: [ImageRecord] = []
        while try statement.step() {
            rows.append(ImageRecord(
                key: statement.text(0) ?? "", name: statement.text(1) ?? "", manifestJSON: statement.text(2) ?? "",
                importTime: statement.integer(3), lastUsed: statement.integer(4), size: statement.integer(5),
                treeSize: statement.integer(6), origin: statement.text(7) ?? "", signer: statement.text(8) ?? ""))
        }
        return rows
    }

    // MARK: rendered trees

    public func addTree(id: String, imageKey: String, size: Int64, at time: Int64) throws {
        try database.prepare("""
            INSERT INTO trees (id, image_key, size, rendered_time) VALUES (?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET size = excluded.size, rendered_time = excluded.rendered_time
            """).run([.text(id), .text(imageKey), .integer(size), .integer(time)])
    }

    public func hasTree(id: String) throws -> Bool {
        let statement = try database.prepare("SELECT 1 FROM trees WHERE id = ?")
        try statement.bind([.text(id)])
        return try statement.step()
    }

    /// IDs of the trees rendered for an image (as the top image; dependency layers are copies).
    public func treeIDs(imageKey: String) throws -> [String] {
        let statement = try database.prepare("SELECT id FROM trees WHERE image_key = ? ORDER BY id")
        try statement.bind([.text(imageKey)])
        var ids: [String] = []
        while try statement.step() { ids.append(statement.text(0) ?? "") }
        return ids
    }

    /// Tree ID → key of the image it was rendered for.
    public func allTreeOwners() throws -> [String: String] {
        let statement = try database.prepare("SELECT id, image_key FROM trees")
        try statement.bind([])
        var owners: [String: String] = [:]
        while try statement.step() { owners[statement.text(0) ?? ""] = statement.text(1) ?? "" }
        return owners
    }

    public func removeTree(id: String) throws {
        try database.prepare("DELETE FROM trees WHERE id = ?").run([.text(id)])
    }
}
