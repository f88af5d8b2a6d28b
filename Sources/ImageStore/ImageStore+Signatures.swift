import Foundation
import ImageArchive
import LinuxSupport

extension ImageStore {
    /// A private copy of the bytes a signature is checked over, taken before verification so the file
    /// cannot change between the check and the import.
    struct SignedCopy {
        let path: String
        /// SHA-512 of the copy: equal to the image's digest exactly when the signed file is the plain tar.
        let sha512Hex: String
    }

    /// Copies `path` to a fresh file under `cas/tmp`, hashing as it goes, at most `maximumImageSize` bytes.
    func makeSignedCopy(of path: String) throws -> SignedCopy {
        let input = try retryingOnInterrupt("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(input) }
        let copy = temporaryPath("signed")
        let output = try retryingOnInterrupt("open", path: copy) {
            open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        }
        var complete = false
        defer {
            close(output)
            if !complete { unlink(copy) }
        }
        let hasher = SHA512Hasher()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: Int64 = 0
        while true {
            let count = try buffer.withUnsafeMutableBytes { raw in
                try retryingOnInterrupt("read", path: path) { read(input, raw.baseAddress, raw.count) }
            }
            if count == 0 { break }
            total += Int64(count)
            guard total <= Self.maximumImageSize else {
                throw StoreError.invalidImage(path: path, reason: "larger than \(Self.maximumImageSize) bytes")
            }
            let chunk = Array(buffer[0..<count])
            hasher.update(chunk)
            try AtomicFile.writeAll(output, chunk, path: copy)
        }
        try retryingOnInterrupt("fsync", path: copy) { fsync(output) }
        complete = true
        return SignedCopy(path: copy, sha512Hex: hasher.finalize())
    }

    /// Keeps a verified signature beside the blob (called with the image lock held, after the blob is in
    /// place): the signature file, and the signed bytes themselves when they are not the blob.
    func keepSignature(_ signature: ImageSignature, copy: SignedCopy, key: String, blobDigest: String) throws {
        try AtomicFile.write(signature.signature, to: layout.signaturePath(key: key), mode: 0o640)
        let signedPath = layout.signedCopyPath(key: key)
        if copy.sha512Hex == blobDigest {
            if unlink(signedPath) != 0 && errno != ENOENT { throw SystemError.current("unlink", path: signedPath) }
        } else {
            try retryingOnInterrupt("rename", path: signedPath) { rename(copy.path, signedPath) }
            try AtomicFile.syncDirectory(containing: signedPath)
        }
    }

    /// The kept signature of an image and the file it signs (the blob, or the kept compressed original);
    /// nil when the image was fetched without verification. A kept original is checked to still
    /// decompress to the blob's digest, so a good signature over it vouches for the blob.
    public func signatureFiles(of record: ImageRecord) throws -> (signature: String, signed: String)? {
        let signature = layout.signaturePath(key: record.key)
        guard FileSystem.exists(signature) else { return nil }
        let copy = layout.signedCopyPath(key: record.key)
        guard FileSystem.exists(copy) else { return (signature, layout.blobPath(key: record.key)) }
        let sink = try retryingOnInterrupt("open", path: "/dev/null") { open("/dev/null", O_WRONLY | O_CLOEXEC) }
        defer { close(sink) }
        let digest = try ACIDecompressor.decompress(inputPath: copy, outputFD: sink, limit: Self.maximumImageSize)
        guard ImageKey.key(fromSHA512Hex: digest.sha512Hex) == record.key else {
            throw StoreError.invalidImage(path: copy, reason: "the kept signed original no longer decompresses to \(record.key)")
        }
        return (signature, copy)
    }
}
