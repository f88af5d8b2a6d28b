import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// Owns one libarchive read handle and exposes only what the image code needs: next header, data
/// chunks, byte counters. Errors carry the archive's name and the last entry read.
final class ArchiveReadHandle {
    enum Format {
        /// The whole (decompressed) stream as one blob: libarchive's "raw" format.
        case raw
        /// A tar (ustar, pax, GNU, v7).
        case tar
    }

    let name: String
    private let handle: OpaquePointer
    private var opened = false
    private var lastEntry: String?

    /// Block size handed to libarchive for file reads: we stream in chunks of about 1 MiB.
    static let blockSize = 1 << 20

    init(format: Format, name: String) throws {
        guard let handle = archive_read_new() else {
            throw ImageArchiveError.unreadable(archive: name, reason: "archive_read_new: out of memory")
        }
        self.handle = handle
        self.name = name
        // Compression is detected by content. Only filters that decompress in-process are enabled: none
        // of them spawns an external program on untrusted input.
        _ = archive_read_support_filter_gzip(handle)
        _ = archive_read_support_filter_bzip2(handle)
        _ = archive_read_support_filter_xz(handle)
        _ = archive_read_support_filter_lzma(handle)
        _ = archive_read_support_filter_zstd(handle)
        _ = archive_read_support_filter_lz4(handle)
        _ = archive_read_support_filter_lzip(handle)
        _ = archive_read_support_filter_compress(handle)
        let status: Int32
        switch format {
        case .raw: status = archive_read_support_format_raw(handle)
        case .tar: status = archive_read_support_format_tar(handle)
        }
        guard status == ARCHIVE_OK else { throw failure("enabling the format") }
    }

    deinit {
        if opened { archive_read_close(handle) }
        archive_read_free(handle)
    }

    /// Reads from a descriptor the caller keeps owning.
    func open(descriptor: Int32) throws {
        guard archive_read_open_fd(handle, descriptor, Self.blockSize) == ARCHIVE_OK else {
            throw failure("opening")
        }
        opened = true
    }

    func open(path: String) throws {
        guard archive_read_open_filename(handle, path, Self.blockSize) == ARCHIVE_OK else {
            throw failure("opening")
        }
        opened = true
    }

    /// The next entry, or nil at the end of the archive.
    func nextEntry() throws -> ACIEntry? {
        var entryPointer: OpaquePointer?
        let status = archive_read_next_header(handle, &entryPointer)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entryPointer else {
            throw failure(lastEntry.map { "reading the header after entry \"\($0)\"" } ?? "reading the first header")
        }
        let entry = try ACIEntry(copying: entryPointer)
        lastEntry = entry.path
        return entry
    }

    /// Reads the next chunk of the current entry's data; 0 means the entry's data is complete.
    func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = archive_read_data(handle, buffer.baseAddress, buffer.count)
        if count < 0 {
            throw failure(lastEntry.map { "reading the data of entry \"\($0)\"" } ?? "reading data")
        }
        return count
    }

    /// Hands the current entry's data to `body` block by block, with each block's offset in the file;
    /// gaps between blocks are holes of a sparse file. The buffer is libarchive's and is valid only
    /// during the call.
    func forEachDataBlock(_ body: (UnsafeRawBufferPointer, Int64) throws -> Void) throws {
        var pointer: UnsafeRawPointer?
        var size = 0
        var offset: Int64 = 0
        while true {
            let status = archive_read_data_block(handle, &pointer, &size, &offset)
            if status == ARCHIVE_EOF { return }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw failure(lastEntry.map { "reading the data of entry \"\($0)\"" } ?? "reading data")
            }
            try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : size), offset)
        }
    }

    /// Bytes libarchive has taken from the underlying file (compressed bytes).
    var compressedBytesRead: Int64 { archive_filter_bytes(handle, -1) }

    private func failure(_ doing: String) -> ImageArchiveError {
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
        return .unreadable(archive: name, reason: "\(doing): \(message)")
    }
}
