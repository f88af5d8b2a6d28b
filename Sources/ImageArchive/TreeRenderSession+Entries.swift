#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// Creating each kind of entry inside its (already safely opened) parent directory.
extension TreeRenderSession {
    func makeDirectory(_ name: String, in parent: DirectoryHandle, entry: ACIEntry, relative: [String]) throws {
        // Layer mode: a directory entry over a lower layer's symlink to a directory inside the tree (merged
        // /usr: `bin -> usr/bin`) keeps the link, so the entries below it land in the linked directory.
        if mode == .layer, let info = try parent.status(of: name), info.st_mode & S_IFMT == S_IFLNK,
           (try? resolveInRoot(relative, entry: entry.path, create: false)) != nil {
            return
        }
        if try !clear(name, in: parent, keepingDirectory: true) {
            try parent.makeDirectory(name, mode: 0o700)
        }
        let directory = try parent.openDirectory(name)
        try applyOwnershipAndAttributes(to: directory.descriptor, entry: entry)
        try deferDirectory(relative, entry: entry)
    }

    /// Writes the data where libarchive says it goes, so holes of sparse files stay holes; the file is
    /// then sized to the entry's declared size.
    func writeFile(_ name: String, in parent: DirectoryHandle, entry: ACIEntry, reader: ArchiveReadHandle) throws {
        try clear(name, in: parent)
        let path = parent.childPath(name)
        let fd = try parent.openFile(name, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        defer { close(fd) }
        try reader.forEachDataBlock { block, offset in
            guard offset >= 0, Int64(block.count) <= entry.size - offset else {
                throw ImageArchiveError.limitExceeded(entry: entry.path, reason: "file data exceeds its declared size")
            }
            summary.bytesWritten += Int64(block.count)
            guard summary.bytesWritten <= limits.maxTotalBytes else {
                throw ImageArchiveError.limitExceeded(
                    entry: entry.path, reason: "the tree would exceed the limit of \(limits.maxTotalBytes) bytes")
            }
            try DescriptorWriter.writeAll(block, to: fd, at: offset, path: path)
        }
        try retryingOnInterrupt("truncate", path: path) { ftruncate(fd, off_t(entry.size)) }
        try applyMetadata(to: fd, entry: entry)
    }

    func makeSymlink(_ name: String, in parent: DirectoryHandle, entry: ACIEntry) throws {
        try clear(name, in: parent)
        let target = entry.linkTarget ?? ""
        let path = parent.childPath(name)
        try retryingOnInterrupt("symlink", path: path) { symlinkat(target, parent.descriptor, name) }
        try applySymlinkMetadata(name, in: parent, entry: entry)
    }

    /// Links to an entry already in the tree. The target must lie inside rootfs/, exist, and be reached
    /// without crossing a symlink; a symlink target is linked itself, never followed.
    func makeHardlink(_ name: String, in parent: DirectoryHandle, entry: ACIEntry) throws {
        let targetText = entry.linkTarget ?? ""
        let targetPath: EntryPath
        do {
            targetPath = try EntryPath(targetText, limits: limits)
        } catch let ImageArchiveError.unsafeEntry(_, reason), let ImageArchiveError.limitExceeded(_, reason) {
            throw ImageArchiveError.unsafeEntry(entry: entry.path, reason: "hardlink target \"\(targetText)\": \(reason)")
        }
        guard let target = mode == .layer ? targetPath.components : targetPath.rootfsRelative, let targetName = target.last else {
            throw ImageArchiveError.unsafeEntry(
                entry: entry.path, reason: "hardlink target \"\(targetText)\" is outside rootfs")
        }
        let targetParent = try parentDirectory(of: target, entry: entry.path, create: false)
        guard let targetInfo = try targetParent.status(of: targetName) else {
            throw ImageArchiveError.unsafeEntry(
                entry: entry.path, reason: "hardlink target \"\(targetText)\" does not exist")
        }
        guard targetInfo.st_mode & S_IFMT != S_IFDIR else {
            throw ImageArchiveError.unsafeEntry(
                entry: entry.path, reason: "hardlink target \"\(targetText)\" is a directory")
        }
        if let existing = try parent.status(of: name),
           existing.st_dev == targetInfo.st_dev, existing.st_ino == targetInfo.st_ino {
            return
        }
        try clear(name, in: parent)
        try retryingOnInterrupt("link", path: parent.childPath(name)) {
            linkat(targetParent.descriptor, targetName, parent.descriptor, name, 0)
        }
    }

    func makeFIFO(_ name: String, in parent: DirectoryHandle, entry: ACIEntry) throws {
        try clear(name, in: parent)
        try retryingOnInterrupt("mkfifo", path: parent.childPath(name)) { mkfifoat(parent.descriptor, name, 0o600) }
        // Opening a FIFO for reading with O_NONBLOCK returns at once, giving a descriptor for its metadata.
        let fd = try parent.openFile(name, flags: O_RDONLY | O_NONBLOCK)
        defer { close(fd) }
        try applyMetadata(to: fd, entry: entry)
    }

    /// Makes room for `name`: removes a previous non-directory, or a previous directory with everything
    /// in it unless `keepingDirectory` (then returns true: the directory stays and is reused).
    @discardableResult
    func clear(_ name: String, in parent: DirectoryHandle, keepingDirectory: Bool = false) throws -> Bool {
        guard let info = try parent.status(of: name) else { return false }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            try parent.remove(name)
            return false
        }
        if keepingDirectory { return true }
        try TreeRemover.removeDirectory(named: Array(name.utf8CString), in: parent)
        return false
    }
}
