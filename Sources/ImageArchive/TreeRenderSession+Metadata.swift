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
        for attribute in entry.extendedAttributes {
            let result = attribute.value.withUnsafeBytes { value in
                fsetxattr(fd, attribute.name, value.baseAddress, value.count, 0)
            }
            try check(result, attribute: attribute.name, entry: entry, onSymlink: false)
        }
    }

    func applyModeAndTimes(to fd: Int32, entry: ACIEntry) throws {
        try retryingOnInterrupt("chmod", path: entry.path) { fchmod(fd, mode_t(entry.permissions)) }
        if var times = Self.times(of: entry) {
            try retryingOnInterrupt("utimens", path: entry.path) { futimens(fd, &times) }
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
            for attribute in entry.extendedAttributes {
                let result = attribute.value.withUnsafeBytes { value in
                    lsetxattr(path, attribute.name, value.baseAddress, value.count, 0)
                }
                try check(result, attribute: attribute.name, entry: entry, onSymlink: true)
            }
        }
        if var times = Self.times(of: entry) {
            try retryingOnInterrupt("utimens", path: entry.path) {
                utimensat(parent.descriptor, name, &times, AT_SYMLINK_NOFOLLOW)
            }
        }
    }

    /// Sets each directory's mode and times after its contents are complete, deepest first so a
    /// read-only directory never blocks reaching the ones below it. Directories that later entries
    /// replaced are skipped.
    func applyDeferredDirectories() throws {
        let ordered = deferredDirectories.values.sorted { $0.components.count > $1.components.count }
        for (components, entry) in ordered {
            do {
                guard let directory = try existingDirectory(at: components) else { continue }
                try applyModeAndTimes(to: directory.descriptor, entry: entry)
            } catch let error as SystemError {
                throw ImageArchiveError.entryFailed(entry: entry.path, reason: error.description)
            }
        }
        deferredDirectories.removeAll()
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

    private static func times(of entry: ACIEntry) -> [timespec]? {
        guard let modified = entry.modificationTime else { return nil }
        let accessed = entry.accessTime ?? modified
        return [
            timespec(tv_sec: Int(accessed.seconds), tv_nsec: accessed.nanoseconds),
            timespec(tv_sec: Int(modified.seconds), tv_nsec: modified.nanoseconds),
        ]
    }
}
