import CArchive
#if canImport(Glibc)
import Glibc
#endif

extension ACIEntry {
    /// Copies one libarchive entry. Paths must be UTF-8 (they become Swift strings and file names);
    /// anything else is refused rather than silently altered.
    init(copying entry: OpaquePointer) throws {
        guard let rawPath = archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry) else {
            throw ImageArchiveError.unsafeEntry(entry: "<unnamed>", reason: "entry has no path")
        }
        guard let path = String(validatingCString: rawPath) else {
            throw ImageArchiveError.unsafeEntry(
                entry: String(cString: rawPath), reason: "path is not valid UTF-8")
        }
        self.path = path

        let type = archive_entry_filetype(entry)
        if let hardlink = archive_entry_hardlink(entry) {
            kind = .hardlink
            linkTarget = try Self.text(hardlink, entry: path, what: "hardlink target")
        } else {
            kind = Self.kind(of: type)
            if kind == .symlink, let target = archive_entry_symlink(entry) {
                linkTarget = try Self.text(target, entry: path, what: "symlink target")
            } else {
                linkTarget = nil
            }
        }
        size = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0
        permissions = UInt32(archive_entry_perm(entry)) & 0o7777
        uid = archive_entry_uid(entry)
        gid = archive_entry_gid(entry)
        modificationTime = archive_entry_mtime_is_set(entry) != 0
            ? Timestamp(seconds: Int64(archive_entry_mtime(entry)), nanoseconds: Int(archive_entry_mtime_nsec(entry)))
            : nil
        accessTime = archive_entry_atime_is_set(entry) != 0
            ? Timestamp(seconds: Int64(archive_entry_atime(entry)), nanoseconds: Int(archive_entry_atime_nsec(entry)))
            : nil
        extendedAttributes = try Self.extendedAttributes(of: entry, path: path)
    }

    private static func kind(of type: mode_t) -> Kind {
        switch type & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        case S_IFIFO: return .fifo
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFSOCK: return .socket
        default: return .unknown(UInt32(type))
        }
    }

    private static func text(_ pointer: UnsafePointer<CChar>, entry: String, what: String) throws -> String {
        guard let value = String(validatingCString: pointer) else {
            throw ImageArchiveError.unsafeEntry(entry: entry, reason: "\(what) is not valid UTF-8")
        }
        return value
    }

    private static func extendedAttributes(of entry: OpaquePointer, path: String) throws -> [ExtendedAttribute] {
        var attributes: [ExtendedAttribute] = []
        var positions: [String: Int] = [:]
        guard archive_entry_xattr_reset(entry) > 0 else { return attributes }
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK {
            guard let name else { break }
            let attributeName = try text(name, entry: path, what: "extended attribute name")
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
            // pax archives may carry the same attribute twice (SCHILY.xattr and LIBARCHIVE.xattr): last wins.
            let attribute = ExtendedAttribute(name: attributeName, value: bytes)
            if let index = positions[attributeName] {
                attributes[index] = attribute
            } else {
                positions[attributeName] = attributes.count
                attributes.append(attribute)
            }
        }
        return attributes
    }
}
