import CArchive
import Foundation
import XCTest

/// Writes tars with libarchive's writer for the tests, including members no honest tool would write
/// (escaping paths, device nodes, links through symlinks): paths are stored exactly as given.
struct TarMember {
    enum Kind {
        case file([UInt8])
        /// A regular file of `size` bytes streamed in 1 MiB chunks (byte i is `i % 251`).
        case largeFile(size: Int64)
        case directory
        case symlink(String)
        case hardlink(String)
        case fifo
        case characterDevice
        case blockDevice
    }

    var path: String
    var kind: Kind
    var mode: UInt32 = 0o644
    var uid: Int64 = 0
    var gid: Int64 = 0
    var mtime: Int = 1_500_000_000
    var xattrs: [(String, [UInt8])] = []
    /// Path bytes to store instead of `path` (for names that are not UTF-8).
    var rawPath: [UInt8]? = nil

    static func file(_ path: String, _ text: String = "", mode: UInt32 = 0o644) -> TarMember {
        TarMember(path: path, kind: .file(Array(text.utf8)), mode: mode)
    }
    static func directory(_ path: String, mode: UInt32 = 0o755) -> TarMember {
        TarMember(path: path, kind: .directory, mode: mode)
    }
    static func symlink(_ path: String, to target: String) -> TarMember {
        TarMember(path: path, kind: .symlink(target), mode: 0o777)
    }
    static func hardlink(_ path: String, to target: String) -> TarMember {
        TarMember(path: path, kind: .hardlink(target))
    }
}

enum TarBuilder {
    /// The pattern `.largeFile` members repeat, built once.
    private static let chunk = (0..<(1 << 20)).map { UInt8($0 % 251) }

    /// Writes a pax tar of `members` to `path`.
    static func write(_ members: [TarMember], to path: String) throws {
        guard let archive = archive_write_new() else { throw TarBuilderError("archive_write_new") }
        defer { archive_write_free(archive) }
        try check(archive, archive_write_set_format_pax_restricted(archive), "set format")
        try check(archive, archive_write_open_filename(archive, path), "open \(path)")
        for member in members {
            guard let entry = archive_entry_new() else { throw TarBuilderError("archive_entry_new") }
            defer { archive_entry_free(entry) }
            if let raw = member.rawPath {
                archive_entry_copy_pathname(entry, (raw + [0]).map { CChar(bitPattern: $0) })
            } else {
                archive_entry_copy_pathname(entry, member.path)
            }
            archive_entry_set_perm(entry, mode_t(member.mode))
            archive_entry_set_uid(entry, member.uid)
            archive_entry_set_gid(entry, member.gid)
            archive_entry_set_mtime(entry, member.mtime, 0)
            for (name, value) in member.xattrs {
                value.withUnsafeBytes { archive_entry_xattr_add_entry(entry, name, $0.baseAddress, $0.count) }
            }
            var data: [UInt8] = []
            var streamed: Int64 = 0
            switch member.kind {
            case let .file(bytes):
                archive_entry_set_filetype(entry, 0o100000)
                archive_entry_set_size(entry, Int64(bytes.count))
                data = bytes
            case let .largeFile(size):
                archive_entry_set_filetype(entry, 0o100000)
                archive_entry_set_size(entry, size)
                streamed = size
            case .directory:
                archive_entry_set_filetype(entry, 0o040000)
            case let .symlink(target):
                archive_entry_set_filetype(entry, 0o120000)
                archive_entry_copy_symlink(entry, target)
            case let .hardlink(target):
                archive_entry_set_filetype(entry, 0o100000)
                archive_entry_copy_hardlink(entry, target)
                archive_entry_set_size(entry, 0)
            case .fifo:
                archive_entry_set_filetype(entry, 0o010000)
            case .characterDevice:
                archive_entry_set_filetype(entry, 0o020000)
                archive_entry_set_rdevmajor(entry, 1)
                archive_entry_set_rdevminor(entry, 3)
            case .blockDevice:
                archive_entry_set_filetype(entry, 0o060000)
                archive_entry_set_rdevmajor(entry, 8)
                archive_entry_set_rdevminor(entry, 0)
            }
            try check(archive, archive_write_header(archive, entry), "write header \(member.path)")
            if !data.isEmpty {
                let count = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
                guard count == data.count else { throw TarBuilderError("write data \(member.path)") }
            }
            while streamed > 0 {
                let piece = Int(min(streamed, Int64(chunk.count)))
                let count = chunk.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, piece) }
                guard count == piece else { throw TarBuilderError("write data \(member.path)") }
                streamed -= Int64(piece)
            }
        }
        try check(archive, archive_write_close(archive), "close")
    }

    private static func check(_ archive: OpaquePointer, _ status: Int32, _ what: String) throws {
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
            let message = archive_error_string(archive).map { String(cString: $0) } ?? "?"
            throw TarBuilderError("\(what): \(message)")
        }
    }
}

struct TarBuilderError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
