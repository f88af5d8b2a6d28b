#if canImport(Glibc)
import Glibc
#endif

/// Directory-tree operations that never follow symlinks inside the tree they work on.
public enum FileSystem {
    /// Creates `path` and any missing parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw SystemError.current("mkdir", path: current)
            }
        }
        guard isDirectory(path) else { throw SystemError(errno: ENOTDIR, operation: "mkdir", path: path) }
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The file's size in bytes (lstat), or nil when it does not exist.
    public static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// Names in a directory, without `.` and `..`.
    public static func entries(of path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw SystemError.current("opendir", path: path) }
        defer { closedir(directory) }
        return readNames(directory)
    }

    /// Removes `path` and everything below it (like `rm -rf`): symlinks are removed, never followed.
    /// A path that does not exist is not an error.
    public static func removeTree(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) != 0 {
            if errno == ENOENT { return }
            throw SystemError.current("lstat", path: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let fd = try retryingOnInterrupt("open", path: path) {
                open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            try removeContents(ofDirectory: fd, path: path)
            if rmdir(path) != 0 && errno != ENOENT { throw SystemError.current("rmdir", path: path) }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw SystemError.current("unlink", path: path)
        }
    }

    /// Bytes allocated on disk by the tree at `path` (like `du -s -B1`), each hardlinked inode counted once.
    public static func diskUsage(_ path: String) throws -> Int64 {
        var seen = Set<[UInt64]>()
        return try usage(path, seen: &seen)
    }

    // Consumes `fd` (closes it).
    private static func removeContents(ofDirectory fd: Int32, path: String) throws {
        guard let directory = fdopendir(fd) else {
            close(fd)
            throw SystemError.current("fdopendir", path: path)
        }
        defer { closedir(directory) }
        for name in readNames(directory) {
            let child = path + "/" + name
            var info = stat()
            if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
                if errno == ENOENT { continue }
                throw SystemError.current("lstat", path: child)
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let childFD = try retryingOnInterrupt("open", path: child) {
                    openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
                try removeContents(ofDirectory: childFD, path: child)
                if unlinkat(fd, name, AT_REMOVEDIR) != 0 && errno != ENOENT {
                    throw SystemError.current("rmdir", path: child)
                }
            } else if unlinkat(fd, name, 0) != 0 && errno != ENOENT {
                throw SystemError.current("unlink", path: child)
            }
        }
    }

    private static func usage(_ path: String, seen: inout Set<[UInt64]>) throws -> Int64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw SystemError.current("lstat", path: path) }
        var total: Int64 = 0
        if seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted {
            total += Int64(info.st_blocks) * 512
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in try entries(of: path) {
                total += try usage(path + "/" + name, seen: &seen)
            }
        }
        return total
    }

    private static func readNames(_ directory: OpaquePointer) -> [String] {
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
