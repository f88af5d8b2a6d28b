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
    /// data is corrupt or truncated, or when the result does not start with a tar header.
    /// `progress` is called after each chunk with the uncompressed bytes written so far.
    public static func decompress(
        inputFD: Int32, outputFD: Int32, limit: Int64, inputName: String? = nil,
        progress: ((Int64) -> Void)? = nil
    ) throws -> (sha512Hex: String, uncompressedSize: Int64) {
        let name = inputName ?? "<fd \(inputFD)>"
        let reader = try ArchiveReadHandle(format: .raw, name: name)
        try reader.open(descriptor: inputFD)
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
            throw ImageArchiveError.notATar(archive: reader.name, reason: "the input is empty")
        }
        let hasher = SHA512Hasher()
        var firstBlock: [UInt8] = []
        var total: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ArchiveReadHandle.blockSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try reader.readData(into: buffer)
            if count == 0 { break }
            total += Int64(count)
            if total > limit || reader.compressedBytesRead > limit {
                throw ImageArchiveError.inputTooLarge(archive: reader.name, limit: limit)
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            if firstBlock.count < TarHeaderCheck.blockSize {
                firstBlock.append(contentsOf: chunk.prefix(TarHeaderCheck.blockSize - firstBlock.count))
                if firstBlock.count == TarHeaderCheck.blockSize, let problem = TarHeaderCheck.problem(with: firstBlock) {
                    throw ImageArchiveError.notATar(archive: reader.name, reason: problem)
                }
            }
            hasher.update(chunk)
            try writeAll(chunk, to: outputFD)
            progress?(total)
        }
        if firstBlock.count < TarHeaderCheck.blockSize, let problem = TarHeaderCheck.problem(with: firstBlock) {
            throw ImageArchiveError.notATar(archive: reader.name, reason: problem)
        }
        return (hasher.finalize(), total)
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ImageArchiveError.outputFailed(reason: SystemError.current("write", path: "<fd \(fd)>").description)
            }
            offset += written
        }
    }
}
