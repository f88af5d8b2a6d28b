#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// Turns a fetched image (a tar, possibly gzip/bzip2/xz/zstd/... compressed; the compression is
/// recognized by content) into the uncompressed tar the store keeps, computing the appc image ID on the
/// way: the SHA-512 of the uncompressed tar. Streams in chunks of about 1 MiB, so memory stays constant
/// whatever the image size.
public enum ACIDecompressor {
    /// Decompresses from `inputFD` (read from its current offset; the caller keeps owning it) into
    /// `outputFD`. Fails when more than `limit` bytes are read or would be written, when the
    /// data is corrupt, or when the result is not one complete tar (header checksums, member sizes and
    /// the end-of-archive marker are checked as the bytes stream by).
    /// `progress` is called after each chunk with the uncompressed bytes written so far.
    public static func decompress(
        inputFD: Int32, outputFD: Int32, limit: Int64, inputName: String? = nil,
        progress: ((Int64) -> Void)? = nil
    ) throws -> (sha512Hex: String, uncompressedSize: Int64) {
        let name = inputName ?? "<fd \(inputFD)>"
        let reader = try ArchiveReadHandle(format: .raw, name: name)
        do {
            try reader.open(descriptor: inputFD)
        } catch {
            // libarchive cannot even guess a format for an empty input; say so plainly.
            var info = stat()
            if fstat(inputFD, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size == 0 {
                throw ImageArchiveError.notATar(archive: name, reason: "the stream is empty")
            }
            throw error
        }
        return try stream(reader, to: outputFD, limit: limit, progress: progress)
    }

    /// Same as `decompress(inputFD:...)`, reading the file at `inputPath`.
    public static func decompress(
        inputPath: String, outputFD: Int32, limit: Int64, progress: ((Int64) -> Void)? = nil
    ) throws -> (sha512Hex: String, uncompressedSize: Int64) {
        let fd = try retryingOnInterrupt("open", path: inputPath) {
            open(inputPath, O_RDONLY | O_CLOEXEC)
        }
        defer { close(fd) }
        return try decompress(inputFD: fd, outputFD: outputFD, limit: limit, inputName: inputPath, progress: progress)
    }

    private static func stream(
        _ reader: ArchiveReadHandle, to outputFD: Int32, limit: Int64, progress: ((Int64) -> Void)?
    ) throws -> (sha512Hex: String, uncompressedSize: Int64) {
        guard try reader.nextEntry() != nil else {
            throw ImageArchiveError.notATar(archive: reader.name, reason: "the stream is empty")
        }
        let hasher = SHA512Hasher()
        var validator = TarStreamValidator()
        var total: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ArchiveReadHandle.blockSize, alignment: 16)
        defer { buffer.deallocate() }
        do {
            while true {
                let count = try reader.readData(into: buffer)
                if count == 0 { break }
                total += Int64(count)
                if total > limit || reader.compressedBytesRead > limit {
                    throw ImageArchiveError.inputTooLarge(archive: reader.name, limit: limit)
                }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                try validator.consume(chunk)
                hasher.update(chunk)
                do {
                    try DescriptorWriter.writeAll(chunk, to: outputFD, path: "<fd \(outputFD)>")
                } catch let error as SystemError {
                    throw ImageArchiveError.outputFailed(reason: error.description)
                }
                progress?(total)
            }
            try validator.finish()
        } catch let problem as TarStreamProblem {
            throw ImageArchiveError.notATar(archive: reader.name, reason: problem.reason)
        }
        return (hasher.finalize(), total)
    }
}
