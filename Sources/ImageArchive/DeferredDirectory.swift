/// What is kept of a directory entry until the end of a render: only its mode and times, so an archive
/// with many directories (each possibly carrying large xattrs) cannot make the renderer hoard memory.
struct DeferredDirectory {
    /// The path below rootfs ("usr/lib"; "" for rootfs itself).
    let relativePath: String
    /// The entry's path as written in the archive, for error messages.
    let entryPath: String
    let permissions: UInt32
    let modificationTime: ACIEntry.Timestamp?
    let accessTime: ACIEntry.Timestamp?

    init(relative: [String], entry: ACIEntry) {
        relativePath = relative.joined(separator: "/")
        entryPath = entry.path
        permissions = entry.permissions
        modificationTime = entry.modificationTime
        accessTime = entry.accessTime
    }

    /// A directory that was already in the tree and whose mode the renderer loosened to write into it
    /// (when not root): it gets its own mode back at the end, its times are left alone.
    init(restoring relative: [String], permissions: UInt32) {
        relativePath = relative.joined(separator: "/")
        entryPath = "rootfs/" + relativePath
        self.permissions = permissions
        modificationTime = nil
        accessTime = nil
    }

    var components: [String] {
        relativePath.split(separator: "/").map(String.init)
    }

    /// Bytes this record holds on to, counted against the session's bookkeeping bound.
    var footprint: Int {
        relativePath.utf8.count + entryPath.utf8.count + 64
    }
}
