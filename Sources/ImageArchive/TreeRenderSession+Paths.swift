#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

extension TreeRenderSession {
    /// Opens the directory that holds the last component of `relative`, walking down from the root one
    /// component at a time with O_NOFOLLOW. Missing directories are created (0755) when `create` is set;
    /// a symlink or non-directory anywhere in the chain is an error naming `entry`.
    func parentDirectory(of relative: [String], entry: String, create: Bool) throws -> DirectoryHandle {
        if mode == .layer {
            let parent = Array(relative.dropLast())
            guard let directory = try resolveInRoot(parent, entry: entry, create: create) else {
                throw ImageArchiveError.unsafeEntry(entry: entry, reason: "\"\(parent.joined(separator: "/"))\" does not exist")
            }
            return directory
        }
        var current = root
        for index in 0..<max(relative.count - 1, 0) {
            current = try child(relative[index], of: current, shownAs: relative[0...index], entry: entry, create: create)
            if !setsOwnership { try makeWritable(current, relative: Array(relative[0...index]), entry: entry) }
        }
        return current
    }

    /// The directory at `relative`, or nil when something on the way is missing, a symlink or not a
    /// directory (a later entry replaced it).
    func existingDirectory(at relative: [String]) throws -> DirectoryHandle? {
        if mode == .layer {
            do {
                return try resolveInRoot(relative, entry: relative.joined(separator: "/"), create: false)
            } catch is ImageArchiveError {
                return nil
            }
        }
        var current = root
        for name in relative {
            do {
                current = try current.openDirectory(name)
            } catch let error as SystemError where [ENOENT, ELOOP, ENOTDIR].contains(error.errno) {
                return nil
            }
        }
        return current
    }

    /// Without root's permission override, a directory an earlier layer left read-only (0555) would
    /// block writing below it. The renderer owns the tree, so it adds u+rwx for the duration of the
    /// render and puts the old mode back at the end (with the archive's own directory modes).
    func makeWritable(_ directory: DirectoryHandle, relative: [String], entry: String) throws {
        var info = stat()
        try retryingOnInterrupt("stat", path: directory.path) { fstat(directory.descriptor, &info) }
        let permissions = info.st_mode & 0o7777
        guard permissions & S_IRWXU != S_IRWXU, info.st_uid == geteuid() else { return }
        try retryingOnInterrupt("chmod", path: directory.path) { fchmod(directory.descriptor, permissions | S_IRWXU) }
        let key = relative.joined(separator: "/")
        if deferredDirectories[key] == nil {
            try deferDirectory(DeferredDirectory(restoring: relative, permissions: UInt32(permissions)), entry: entry)
        }
    }

    private func child(
        _ name: String, of directory: DirectoryHandle, shownAs prefix: ArraySlice<String>, entry: String, create: Bool
    ) throws -> DirectoryHandle {
        do {
            return try directory.openDirectory(name)
        } catch let error as SystemError {
            let shown = "rootfs/" + prefix.joined(separator: "/")
            switch error.errno {
            case ENOENT where create:
                try directory.makeDirectory(name, mode: 0o755)
                let created = try directory.openDirectory(name)
                try retryingOnInterrupt("chmod", path: created.path) { fchmod(created.descriptor, 0o755) }
                return created
            case ENOENT:
                throw ImageArchiveError.unsafeEntry(entry: entry, reason: "\"\(shown)\" does not exist")
            case ELOOP, ENOTDIR:
                if let info = try directory.status(of: name), info.st_mode & S_IFMT == S_IFLNK {
                    throw ImageArchiveError.unsafeEntry(
                        entry: entry, reason: "\"\(shown)\" is a symlink; nothing is written through a symlink")
                }
                throw ImageArchiveError.unsafeEntry(entry: entry, reason: "\"\(shown)\" is not a directory")
            default:
                throw error
            }
        }
    }
}
