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

    var components: [String] {
        relativePath.split(separator: "/").map(String.init)
    }

    /// Bytes this record holds on to, counted against the session's bookkeeping bound.
    var footprint: Int {
        relativePath.utf8.count + entryPath.utf8.count + 64
    }
}
