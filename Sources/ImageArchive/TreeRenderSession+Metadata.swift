import CXattr
#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// Ownership, extended attributes, permission bits and times, all set through descriptors (or, for
/// symlinks, relative to their parent's descriptor without following them).
extension TreeRenderSession {
    /// Everything for a file or FIFO: chown first (it clears setuid/setgid and file capabilities),
    /// then xattrs, then the full mode, then times.
    func applyMetadata(to fd: Int32, entry: ACIEntry) throws {
        try applyOwnershipAndAttributes(to: fd, entry: entry)
        try applyModeAndTimes(to: fd, entry: entry)
    }

    func applyOwnershipAndAttributes(to fd: Int32, entry: ACIEntry) throws {
        if setsOwnership {
            try retryingOnInterrupt("chown", path: entry.path) { fchown(fd, uid_t(entry.uid), gid_t(entry.gid)) }
        }
        for attribute in entry.extendedAttributes where Self.isSettable(attribute.name) {
            let result = attribute.value.withUnsafeBytes { value in
                fsetxattr(fd, attribute.name, value.baseAddress, value.count, 0)
            }
            try check(result, attribute: attribute.name, entry: entry, onSymlink: false)
        }
    }

    func applyModeAndTimes(to fd: Int32, entry: ACIEntry) throws {
        try applyModeAndTimes(
            to: fd, permissions: entry.permissions, path: entry.path,
            modified: entry.modificationTime, accessed: entry.accessTime)
    }

    func applyModeAndTimes(
        to fd: Int32, permissions: UInt32, path: String, modified: ACIEntry.Timestamp?, accessed: ACIEntry.Timestamp?
    ) throws {
        try retryingOnInterrupt("chmod", path: path) { fchmod(fd, mode_t(permissions)) }
        if var times = Self.times(modified: modified, accessed: accessed) {
            try retryingOnInterrupt("utimens", path: path) { futimens(fd, &times) }
        }
    }

    func applySymlinkMetadata(_ name: String, in parent: DirectoryHandle, entry: ACIEntry) throws {
        if setsOwnership {
            try retryingOnInterrupt("chown", path: entry.path) {
                fchownat(parent.descriptor, name, uid_t(entry.uid), gid_t(entry.gid), AT_SYMLINK_NOFOLLOW)
            }
        }
        if !entry.extendedAttributes.isEmpty {
            // The parent is reached through its descriptor's /proc link; the symlink itself is not followed.
            let path = "/proc/self/fd/\(parent.descriptor)/\(name)"
            for attribute in entry.extendedAttributes where Self.isSettable(attribute.name) {
                let result = attribute.value.withUnsafeBytes { value in
                    lsetxattr(path, attribute.name, value.baseAddress, value.count, 0)
                }
                try check(result, attribute: attribute.name, entry: entry, onSymlink: true)
            }
        }
        if var times = Self.times(modified: entry.modificationTime, accessed: entry.accessTime) {
            try retryingOnInterrupt("utimens", path: entry.path) {
                utimensat(parent.descriptor, name, &times, AT_SYMLINK_NOFOLLOW)
            }
        }
    }

    /// Sets each directory's mode and times after its contents are complete, deepest first so a
    /// read-only directory never blocks reaching the ones below it. Directories that later entries
    /// replaced are skipped.
    func applyDeferredDirectories() throws {
        let ordered = deferredDirectories.values.map { ($0.components, $0) }.sorted { $0.0.count > $1.0.count }
        for (components, record) in ordered {
            do {
                guard let directory = try existingDirectory(at: components) else { continue }
                try applyModeAndTimes(
                    to: directory.descriptor, permissions: record.permissions, path: record.entryPath,
                    modified: record.modificationTime, accessed: record.accessTime)
            } catch let error as SystemError {
                throw ImageArchiveError.entryFailed(entry: record.entryPath, reason: error.description)
            }
        }
        deferredDirectories.removeAll()
        deferredBytes = 0
    }

    /// Filesystems without xattr support are skipped; so are namespaces the kernel never allows here
    /// (user.* on symlinks) or that need privileges we lack (trusted.*, security.* when not root).
    private func check(_ result: Int32, attribute: String, entry: ACIEntry, onSymlink: Bool) throws {
        guard result != 0 else { return }
        let code = errno
        if code == ENOTSUP || code == EOPNOTSUPP { return }
        if code == EPERM && (!setsOwnership || (onSymlink && attribute.hasPrefix("user."))) { return }
        throw ImageArchiveError.entryFailed(
            entry: entry.path,
            reason: SystemError(errno: code, operation: "setxattr \(attribute)", path: entry.path).description)
    }

    /// overlayfs reads trusted.overlay.* (opaque, redirect, metacopy...) from its layers; an image must
    /// not be able to steer the overlay that will be stacked on its tree, so those are never set.
    static func isSettable(_ name: String) -> Bool {
        !name.hasPrefix("trusted.overlay.")
    }

    private static func times(modified: ACIEntry.Timestamp?, accessed: ACIEntry.Timestamp?) -> [timespec]? {
        guard let modified else { return nil }
        let accessed = accessed ?? modified
        return [
            timespec(tv_sec: Int(accessed.seconds), tv_nsec: accessed.nanoseconds),
            timespec(tv_sec: Int(modified.seconds), tv_nsec: modified.nanoseconds),
        ]
    }
}
