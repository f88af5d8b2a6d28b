import CArchive
import Foundation
import LinuxSupport

/// Writes an ACI (an uncompressed pax tar holding `manifest` and `rootfs/…`) from a manifest and a directory
/// tree, as `rkt export` does for a pod's app. Symlinks are stored as links and never followed; regular
/// files sharing an inode are stored once and then as hard links; sockets are skipped.
public final class ACIWriter {
    private let archive: OpaquePointer
    private let path: String
    private var hardLinks: [[UInt64]: String] = [:]

    public init(path: String) throws {
        self.path = path
        guard let archive = archive_write_new() else { throw SystemError(errno: ENOMEM, operation: "archive_write_new", path: path) }
        self.archive = archive
        try check(archive_write_set_format_pax_restricted(archive), "set tar format")
        try check(archive_write_open_filename(archive, path), "open")
    }

    deinit {
        archive_write_free(archive)
    }

    public func addManifest(_ bytes: [UInt8]) throws {
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, "manifest")
        archive_entry_set_filetype(entry, UInt32(0o100000)) // AE_IFREG
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_size(entry, la_int64_t(bytes.count))
        archive_entry_set_mtime(entry, time(nil), 0)
        try check(archive_write_header(archive, entry), "write manifest header")
        try writeData(bytes)
    }

    /// Adds `directory` as `rootfs` with everything below it.
    public func addRootfs(_ directory: String) throws {
        try add(hostPath: directory, archivePath: "rootfs")
    }

    public func finish() throws {
        try check(archive_write_close(archive), "close")
    }

    private func add(hostPath: String, archivePath: String) throws {
        var info = stat()
        guard lstat(hostPath, &info) == 0 else { throw SystemError.current("lstat", path: hostPath) }
        let type = info.st_mode & S_IFMT
        if type == S_IFSOCK { return }
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_copy_stat(entry, &info)
        archive_entry_set_pathname(entry, archivePath)
        if type == S_IFLNK {
            archive_entry_set_symlink(entry, try Self.readLink(hostPath))
        }
        let identity = [UInt64(info.st_dev), UInt64(info.st_ino)]
        if type == S_IFREG, info.st_nlink > 1 {
            if let first = hardLinks[identity] {
                archive_entry_set_hardlink(entry, first)
                archive_entry_set_size(entry, 0)
                try check(archive_write_header(archive, entry), "write header of \(archivePath)")
                return
            }
            hardLinks[identity] = archivePath
        }
        try check(archive_write_header(archive, entry), "write header of \(archivePath)")
        if type == S_IFREG {
            try copyContents(of: hostPath)
        } else if type == S_IFDIR {
            for name in try FileSystem.entries(of: hostPath).sorted() {
                try add(hostPath: hostPath + "/" + name, archivePath: archivePath + "/" + name)
            }
        }
    }

    private func copyContents(of path: String) throws {
        let fd = try retryingOnInterrupt("open", path: path) { open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try retryingOnInterrupt("read", path: path) {
                buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            }
            if count == 0 { return }
            try writeData(Array(buffer[0..<count]))
        }
    }

    private func writeData(_ bytes: [UInt8]) throws {
        let written = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw failure("write data") }
    }

    private func check(_ status: Int32, _ operation: String) throws {
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else { throw failure(operation) }
    }

    private func failure(_ operation: String) -> Error {
        let message = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
        return CommandFailure(message: "\(path): \(operation): \(message)")
    }

    private static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw SystemError.current("readlink", path: path) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
