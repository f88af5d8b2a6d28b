import Foundation

/// Reads an uncompressed ACI (a tar holding `manifest` and `rootfs/`) without extracting it.
public struct ACIReader: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The bytes of the top-level `manifest` entry (also accepted as `./manifest`). Fails when it is
    /// missing, appears more than once, is not a regular file, or is larger than `limit` bytes. The
    /// whole archive is scanned (data is skipped), at most `RenderLimits.default.maxEntries` entries.
    public func manifestData(limit: Int = 1 << 20) throws -> Data {
        var manifest: Data?
        try walk(limit: RenderLimits.default.maxEntries) { entry, reader in
            guard Self.isManifest(entry.path) else { return }
            guard manifest == nil else {
                throw ImageArchiveError.manifestInvalid(archive: path, reason: "appears more than once")
            }
            guard entry.kind == .regular else {
                throw ImageArchiveError.manifestInvalid(archive: path, reason: "is a \(entry.kind), not a regular file")
            }
            guard entry.size <= Int64(limit) else {
                throw ImageArchiveError.manifestInvalid(
                    archive: path, reason: "is \(entry.size) bytes, over the limit of \(limit)")
            }
            manifest = try readData(of: reader, limit: limit)
        }
        guard let manifest else { throw ImageArchiveError.manifestMissing(archive: path) }
        return manifest
    }

    /// Every entry of the archive in order, refusing archives with more than `limit` entries.
    /// Holds them all in memory; `forEachEntry` streams instead.
    public func entries(limit: Int = RenderLimits.default.maxEntries) throws -> [ACIEntry] {
        var entries: [ACIEntry] = []
        try forEachEntry(limit: limit) { entries.append($0) }
        return entries
    }

    /// Calls `body` with each entry in order (data is skipped), refusing more than `limit` entries.
    public func forEachEntry(limit: Int = RenderLimits.default.maxEntries, _ body: (ACIEntry) throws -> Void) throws {
        try walk(limit: limit) { entry, _ in try body(entry) }
    }

    /// The one loop over the archive: `body` may read the current entry's data from the reader.
    private func walk(limit: Int, _ body: (ACIEntry, ArchiveReadHandle) throws -> Void) throws {
        let reader = try ArchiveReadHandle(format: .tar, name: path)
        try reader.open(path: path)
        var count = 0
        while let entry = try reader.nextEntry() {
            count += 1
            guard count <= limit else {
                throw ImageArchiveError.limitExceeded(
                    entry: EntryPath.abbreviated(entry.path), reason: "the archive has more than \(limit) entries")
            }
            try body(entry, reader)
        }
    }

    /// "manifest", "./manifest", "manifest/" (then refused as a directory): one component, "manifest".
    static func isManifest(_ archivePath: String) -> Bool {
        (try? EntryPath(archivePath, limits: .default))?.components == ["manifest"]
    }

    private func readData(of reader: ArchiveReadHandle, limit: Int) throws -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try reader.readData(into: $0) }
            if count == 0 { return data }
            guard data.count + count <= limit else {
                throw ImageArchiveError.manifestInvalid(archive: path, reason: "is over the limit of \(limit) bytes")
            }
            data.append(contentsOf: chunk[0..<count])
        }
    }
}
