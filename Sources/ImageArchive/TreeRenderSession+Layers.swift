#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// Layer mode: whiteouts, and parent directories reached through symlinks resolved inside the root.
extension TreeRenderSession {
    /// Symlinks followed while resolving one path, as the kernel's own limit (ELOOP after 40).
    static let maxSymlinkFollows = 40
    /// Bound on the bytes of paths remembered for one layer (`createdInLayer`).
    static let maxCreatedBytes = 256 << 20

    /// Opens the directory at `components` below the root, following symlinks the way the kernel would
    /// if the root were `/`: an absolute target restarts at the root and `..` never climbs above it. Every
    /// step opens one name with O_NOFOLLOW, so nothing outside the tree is ever reached. Missing
    /// directories are created (0755) when `create` is set, otherwise nil is returned.
    func resolveInRoot(_ components: [String], entry: String, create: Bool) throws -> DirectoryHandle? {
        var stack: [(name: String, handle: DirectoryHandle)] = []
        var pending = Array(components.reversed())
        var follows = 0
        func shown() -> String { stack.map(\.name).joined(separator: "/") }
        while let name = pending.popLast() {
            if name.isEmpty || name == "." { continue }
            if name == ".." {
                if !stack.isEmpty { stack.removeLast() }
                continue
            }
            let current = stack.last?.handle ?? root
            guard let info = try current.status(of: name) else {
                guard create else { return nil }
                try current.makeDirectory(name, mode: 0o755)
                let created = try current.openDirectory(name)
                try retryingOnInterrupt("chmod", path: created.path) { fchmod(created.descriptor, 0o755) }
                stack.append((name, created))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let directory = try current.openDirectory(name)
                stack.append((name, directory))
                if !setsOwnership { try makeWritable(directory, relative: stack.map(\.name), entry: entry) }
            case S_IFLNK:
                follows += 1
                guard follows <= Self.maxSymlinkFollows else {
                    throw ImageArchiveError.unsafeEntry(
                        entry: entry, reason: "more than \(Self.maxSymlinkFollows) symlinks on the way to its directory")
                }
                let target = try current.readLink(name, limit: limits.maxPathLength)
                guard !target.isEmpty else {
                    throw ImageArchiveError.unsafeEntry(entry: entry, reason: "\"\(shown())/\(name)\" is an empty symlink")
                }
                if target.hasPrefix("/") { stack.removeAll() }
                pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
            default:
                let path = stack.isEmpty ? name : shown() + "/" + name
                throw ImageArchiveError.unsafeEntry(entry: entry, reason: "\"\(path)\" is not a directory")
            }
        }
        return stack.last?.handle ?? root
    }

    /// `.wh.NAME` removes NAME, `.wh..wh..opq` empties the directory, in both cases sparing what this
    /// layer itself created (a whiteout applies to lower layers only).
    func applyWhiteout(named name: String, in directoryPath: [String], entry: ACIEntry) throws {
        let key = directoryPath.joined(separator: "/")
        func createdHere(_ child: String) -> Bool {
            createdInLayer.contains(key.isEmpty ? child : key + "/" + child)
        }
        do {
            guard let directory = try resolveInRoot(directoryPath, entry: entry.path, create: false) else { return }
            if name == Whiteout.opaque {
                for child in try directory.listNames() {
                    let childName = String(decoding: child.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if createdHere(childName) { continue }
                    try remove(child, in: directory)
                }
                return
            }
            if name.hasPrefix(Whiteout.metadataPrefix) { return }
            let target = String(name.dropFirst(Whiteout.prefix.count))
            guard !target.isEmpty, target != ".", target != "..", !createdHere(target) else { return }
            try remove(Array(target.utf8CString), in: directory)
        } catch let error as SystemError {
            throw ImageArchiveError.entryFailed(entry: entry.path, reason: error.description)
        }
    }

    private func remove(_ name: [CChar], in directory: DirectoryHandle) throws {
        var info = stat()
        guard fstatat(directory.descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return }
            throw SystemError.current("stat", path: directory.path)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            try TreeRemover.removeDirectory(named: name, in: directory)
        } else {
            try retryingOnInterrupt("unlink", path: directory.path) { unlinkat(directory.descriptor, name, 0) }
        }
    }

    func rememberCreated(_ relative: [String], entry: String) throws {
        let key = relative.joined(separator: "/")
        guard createdInLayer.insert(key).inserted else { return }
        createdInLayerBytes += key.utf8.count + 32
        guard createdInLayerBytes <= Self.maxCreatedBytes else {
            throw ImageArchiveError.limitExceeded(
                entry: EntryPath.abbreviated(entry), reason: "the layer has too many paths to track (over \(Self.maxCreatedBytes) bytes)")
        }
    }
}
