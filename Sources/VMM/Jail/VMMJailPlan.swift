/// What the VMM's jail holds, decided from paths alone (no system calls, so it is unit-tested): the jail's
/// root is an empty tmpfs in which every directory of a Unix socket the VMM still reaches at run time is
/// bind-mounted at its own absolute path, and the working directory is recreated (as empty directories)
/// at its own path, so that relative socket paths (stage1-kvm passes `kvm/vsock`, relative to the pod
/// directory, to stay within the 108-byte limit of a socket address) mean the same inside as outside.
public struct VMMJailPlan: Equatable, Sendable {
    /// Host directories bound read-write (nosuid, nodev, noexec) at the same absolute path in the jail;
    /// normalized, none inside another, sorted.
    public let boundDirectories: [String]
    /// The VMM's working directory, inside the jail as outside.
    public let workingDirectory: String
    /// Every directory the jail's tmpfs needs (ancestors first) to hold the bind targets and the working
    /// directory; the bind targets themselves included.
    public let directoriesToCreate: [String]

    /// `workingDirectory`: the VMM's absolute working directory (getcwd). `socketPaths`: the Unix sockets
    /// the VMM binds or connects to after the jail is closed (the vsock device's socket; guest connections
    /// to host port P reach `PATH_P` in the same directory), absolute or relative to `workingDirectory`.
    public init(workingDirectory: String, socketPaths: [String]) throws {
        guard workingDirectory.hasPrefix("/") else { throw VMMJailError.relativeWorkingDirectory(workingDirectory) }
        let working = try Self.components(of: workingDirectory)
        var directories: [[String]] = []
        for socket in socketPaths {
            guard !socket.isEmpty else { throw VMMJailError.emptySocketPath }
            var path = socket.hasPrefix("/") ? [] : working
            path += try Self.components(of: socket)
            guard !path.isEmpty else { throw VMMJailError.socketIsRoot(socket) }
            let directory = Array(path.dropLast())
            guard !directory.isEmpty else { throw VMMJailError.socketDirectoryIsRoot(socket) }
            directories.append(directory)
        }
        // A directory inside another bound one is reachable through it (and creating its mount point would
        // write into the host's directory): keep the outermost only.
        let outermost = directories.filter { inner in
            !directories.contains { outer in outer.count < inner.count && Array(inner.prefix(outer.count)) == outer }
        }
        var bound: [String] = []
        for directory in outermost.map(Self.text(of:)) where !bound.contains(directory) { bound.append(directory) }
        boundDirectories = bound.sorted()
        self.workingDirectory = Self.text(of: working)

        // The working directory's components below a bound directory already exist there (or not: then
        // chdir fails with the path named); only those outside any bound directory are created in the tmpfs.
        var create: [String] = []
        func addAncestors(of path: [String], upTo limit: Int) {
            guard limit >= 1 else { return }
            for length in 1...limit {
                let text = Self.text(of: Array(path.prefix(length)))
                if !create.contains(text) { create.append(text) }
            }
        }
        for directory in outermost { addAncestors(of: directory, upTo: directory.count) }
        let insideBound = outermost.filter { working.count >= $0.count && Array(working.prefix($0.count)) == $0 }
            .map(\.count).max()
        addAncestors(of: working, upTo: insideBound.map { $0 - 1 } ?? working.count)
        directoriesToCreate = create.sorted { $0.split(separator: "/").count < $1.split(separator: "/").count }
    }

    /// Components of a path without empty and "." components; ".." is refused (the jail binds what the path
    /// names, and a lexical ".." could name something else than the kernel's lookup through a symlink).
    static func components(of path: String) throws -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        guard !parts.contains("..") else { throw VMMJailError.parentComponent(path) }
        guard !path.utf8.contains(0) else { throw VMMJailError.nulByte(path) }
        return parts
    }

    static func text(of components: [String]) -> String { "/" + components.joined(separator: "/") }
}
