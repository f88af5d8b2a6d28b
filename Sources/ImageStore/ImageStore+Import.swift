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
    ///
    /// With `verify`, the file is first copied privately; `verify` gets the copy's path (the bytes as
    /// fetched) and the validated manifest, and runs before anything is stored: when it throws, nothing is
    /// kept. The signature it returns is kept beside the blob and its signer recorded in the index.
    public func importACI(
        path: String, origin: String, progress: ((Int64) -> Void)? = nil,
        verify: ((_ signedPath: String, _ manifest: ImageManifest) throws -> ImageSignature)? = nil
    ) throws -> ImportResult {
        let signedCopy = try verify.map { _ in try makeSignedCopy(of: path) }
        defer { if let signedCopy { unlink(signedCopy.path) } }
        let source = signedCopy?.path ?? path
        let input = try retryingOnInterrupt("open", path: source) { open(source, O_RDONLY | O_CLOEXEC) }
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
        let signature = try signedCopy.flatMap { copy in try verify?(copy.path, manifest) }

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
            if let signature, let signedCopy {
                try keepSignature(signature, copy: signedCopy, key: key, blobDigest: digest.sha512Hex)
            }
            let record = ImageRecord(
                key: key, name: manifest.name.description,
                manifestJSON: String(decoding: manifestData, as: UTF8.self),
                importTime: now, lastUsed: now, size: digest.uncompressedSize, origin: origin,
                signer: signature?.signer ?? "")
            try index.upsert(record)
            return ImportResult(record: try index.record(key: key) ?? record, alreadyStored: alreadyStored)
        }
    }
}
