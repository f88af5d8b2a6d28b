#if canImport(Glibc)
import Glibc
#endif
import ImageStore
import LinuxSupport

/// Opens a file named by an untrusted relative path (from an archive's manifest.json, or a digest) below
/// a root directory, one component at a time with O_NOFOLLOW: no `..`, no absolute paths, no symlinks,
/// so nothing outside the root is read.
enum ContainedFile {
    static func open(_ relative: String, under root: String) throws -> Int32 {
        let components = relative.split(separator: "/").map(String.init).filter { $0 != "." }
        guard !relative.hasPrefix("/"), !components.isEmpty, !components.contains("..") else {
            throw FetchError.invalidSource(root, reason: "\"\(relative)\" is not a path inside the image")
        }
        var current = try retryingOnInterrupt("open", path: root) { Glibc.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        for (index, name) in components.enumerated() {
            let last = index == components.count - 1
            let flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? 0 : O_DIRECTORY)
            let next = openat(current, name, flags)
            let code = errno
            close(current)
            guard next >= 0 else {
                throw FetchError.invalidSource(root, reason: "\"\(relative)\": " +
                    (code == ELOOP ? "a symlink is on the way (not followed)" : String(cString: strerror(code))))
            }
            current = next
        }
        var info = stat()
        guard fstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(current)
            throw FetchError.invalidSource(root, reason: "\"\(relative)\" is not a regular file")
        }
        return current
    }

    /// Reads the whole file, refusing more than `limit` bytes.
    static func read(_ relative: String, under root: String, limit: Int) throws -> [UInt8] {
        let fd = try open(relative, under: root)
        defer { close(fd) }
        return try readAll(fd, limit: limit, name: root + "/" + relative)
    }

    static func readAll(_ fd: Int32, limit: Int, name: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try retryingOnInterrupt("read", path: name) { Glibc.read(fd, &buffer, buffer.count) }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
            guard bytes.count <= limit else { throw FetchError.invalidSource(name, reason: "larger than \(limit) bytes") }
        }
    }

    /// Copies the file into `writer` in 1 MiB chunks.
    static func stream(_ fd: Int32, name: String, into writer: LayerWriter, progress: (Int64) -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try retryingOnInterrupt("read", path: name) { Glibc.read(fd, buffer.baseAddress, buffer.count) }
            if count == 0 { return }
            try writer.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            progress(writer.bytesWritten)
        }
    }
}
