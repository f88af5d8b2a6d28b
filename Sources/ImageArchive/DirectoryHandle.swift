#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// An open directory that names of one component are resolved against (`*at` calls), never following
/// a symlink in the name it is given. `path` is for messages only: nothing is looked up through it.
final class DirectoryHandle {
    let descriptor: Int32
    let path: String

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// Opens the directory the caller chose as the root of a tree, creating it (one level) if missing.
    static func openRoot(_ path: String) throws -> DirectoryHandle {
        var fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 && errno == ENOENT {
            if mkdir(path, 0o755) != 0 && errno != EEXIST { throw SystemError.current("mkdir", path: path) }
            fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard fd >= 0 else { throw SystemError.current("open", path: path) }
        return DirectoryHandle(descriptor: fd, path: path)
    }

    /// Opens the child directory `name`; fails with ELOOP/ENOTDIR when it is a symlink or no directory.
    func openDirectory(_ name: String) throws -> DirectoryHandle {
        let fd = try retryingOnInterrupt("open", path: childPath(name)) {
            openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        return DirectoryHandle(descriptor: fd, path: childPath(name))
    }

    /// lstat of `name` in this directory; nil when nothing by that name exists.
    func status(of name: String) throws -> stat? {
        var info = stat()
        if fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { return info }
        if errno == ENOENT { return nil }
        throw SystemError.current("stat", path: childPath(name))
    }

    /// The target of the symlink `name`, refused when longer than `limit` bytes.
    func readLink(_ name: String, limit: Int) throws -> String {
        var buffer = [CChar](repeating: 0, count: limit + 1)
        let count = try retryingOnInterrupt("readlink", path: childPath(name)) {
            readlinkat(descriptor, name, &buffer, buffer.count)
        }
        guard count <= limit else { throw SystemError(errno: ENAMETOOLONG, operation: "readlink", path: childPath(name)) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func makeDirectory(_ name: String, mode: mode_t) throws {
        try retryingOnInterrupt("mkdir", path: childPath(name)) { mkdirat(descriptor, name, mode) }
    }

    /// Removes a non-directory (or, with `directory`, an empty directory) named `name`.
    func remove(_ name: String, directory: Bool = false) throws {
        try retryingOnInterrupt(directory ? "rmdir" : "unlink", path: childPath(name)) {
            unlinkat(descriptor, name, directory ? AT_REMOVEDIR : 0)
        }
    }

    /// Opens (creating exclusively) a file in this directory; O_NOFOLLOW is always added.
    func openFile(_ name: String, flags: Int32, mode: mode_t = 0) throws -> Int32 {
        try retryingOnInterrupt("open", path: childPath(name)) {
            openat(descriptor, name, flags | O_NOFOLLOW | O_CLOEXEC, mode)
        }
    }

    /// Names in this directory except "." and "..", as raw bytes (whatever was there before us).
    func listNames() throws -> [[CChar]] {
        let copy = try retryingOnInterrupt("dup", path: path) { dup(descriptor) }
        guard let stream = fdopendir(copy) else {
            let error = SystemError.current("opendir", path: path)
            close(copy)
            throw error
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [[CChar]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw SystemError.current("readdir", path: path) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [CChar] in
                let bytes = raw.bindMemory(to: CChar.self)
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                return Array(bytes[0..<length]) + [0]
            }
            if name == [0x2E, 0] || name == [0x2E, 0x2E, 0] { continue }
            names.append(name)
        }
    }

    func childPath(_ name: String) -> String {
        path == "" ? name : path + "/" + name
    }
}
