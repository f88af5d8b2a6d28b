import AppC
import Foundation
import ImageArchive
import LinuxSupport

extension ImageStore {
    /// What an import did.
    public struct ImportResult: Sendable {
        public let record: ImageRecord
        /// True when an identical image was already stored (its blob is shared, nothing was written).
        public let alreadyStored: Bool
    }

    /// The largest ACI (uncompressed) the store accepts.
    public static let maximumImageSize: Int64 = 64 << 30

    /// Imports an ACI file (plain tar, or gzip/bzip2/xz/zstd compressed): decompresses it into a temporary
    /// file while hashing, validates its manifest, then moves it into place under its key. Memory use does not
    /// grow with the image size. `progress` receives the number of uncompressed bytes written so far.
    public func importACI(
        path: String, origin: String, progress: ((Int64) -> Void)? = nil
    ) throws -> ImportResult {
        let input = try retryingOnInterrupt("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(input) }
        let temporary = temporaryPath("import")
        let output = try retryingOnInterrupt("open", path: temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        }
        var moved = false
        defer { if !moved { unlink(temporary) } }

        let digest: (sha512Hex: String, uncompressedSize: Int64)
        do {
            defer { close(output) }
            digest = try ACIDecompressor.decompress(
                inputFD: input, outputFD: output, limit: Self.maximumImageSize, inputName: path, progress: progress)
            try retryingOnInterrupt("fsync", path: temporary) { fsync(output) }
        }
        let manifestData: Data
        let manifest: ImageManifest
        do {
            manifestData = try ACIReader(path: temporary).manifestData()
            manifest = try ImageManifest(jsonData: manifestData)
        } catch {
            throw StoreError.invalidImage(path: path, reason: "\(error)")
        }

        let key = ImageKey.key(fromSHA512Hex: digest.sha512Hex)
        let blob = layout.blobPath(key: key)
        let now = Self.now()
        return try withImageLock(key: key, .exclusive) {
            let alreadyStored = FileSystem.exists(blob)
            if !alreadyStored {
                try FileSystem.makeDirectories(AtomicFile.parentDirectory(of: blob), mode: 0o750)
                try retryingOnInterrupt("rename", path: blob) { rename(temporary, blob) }
                moved = true
                try AtomicFile.syncDirectory(containing: blob)
            }
            let record = ImageRecord(
                key: key, name: manifest.name.description,
                manifestJSON: String(decoding: manifestData, as: UTF8.self),
                importTime: now, lastUsed: now, size: digest.uncompressedSize, origin: origin)
            try index.upsert(record)
            return ImportResult(record: try index.record(key: key) ?? record, alreadyStored: alreadyStored)
        }
    }
}
