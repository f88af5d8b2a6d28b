#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// Removes a directory and everything below it through directory descriptors only: each level is
/// opened with O_NOFOLLOW, symlinks are unlinked (never followed), so removal cannot leave the tree.
enum TreeRemover {
    /// Deeper trees are refused rather than holding one descriptor per level without bound.
    static let maxDepth = 256

    static func removeDirectory(named name: [CChar], in parent: DirectoryHandle) throws {
        try remove(name, in: parent, depth: 0)
    }

    private static func remove(_ name: [CChar], in parent: DirectoryHandle, depth: Int) throws {
        let display = parent.childPath(String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
        guard depth < maxDepth else {
            throw SystemError(errno: ELOOP, operation: "remove (deeper than \(maxDepth) levels)", path: display)
        }
        let fd = try retryingOnInterrupt("open", path: display) {
            openat(parent.descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        let directory = DirectoryHandle(descriptor: fd, path: display)
        // It is about to go: make sure its entries can be unlinked even when it was read-only.
        try retryingOnInterrupt("chmod", path: display) { fchmod(fd, S_IRWXU) }
        for child in try directory.listNames() {
            var info = stat()
            guard fstatat(directory.descriptor, child, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT { continue }
                throw SystemError.current("stat", path: display)
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                try remove(child, in: directory, depth: depth + 1)
            } else {
                try retryingOnInterrupt("unlink", path: display) { unlinkat(directory.descriptor, child, 0) }
            }
        }
        try retryingOnInterrupt("rmdir", path: display) { unlinkat(parent.descriptor, name, AT_REMOVEDIR) }
    }
}
