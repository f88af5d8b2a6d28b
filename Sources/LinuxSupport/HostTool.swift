import Glibc

/// Runs a host program (mkfs.ext4, mkfs.erofs …) to completion with its output captured for the error
/// message; started with posix_spawn, so callers may be multi-threaded.
public enum HostTool {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    static let directories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin"]

    /// The program's path, or a failure naming the Debian package that provides it.
    public static func locate(_ name: String, package: String) throws -> String {
        guard let path = directories.map({ $0 + "/" + name }).first(where: { access($0, X_OK) == 0 }) else {
            throw Failure(description: "\(name) not found (install the Debian package \(package); `make deps` does)")
        }
        return path
    }

    public static func run(_ name: String, _ arguments: [String], package: String) throws {
        let path = try locate(name, package: package)
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else { throw SystemError.current("pipe") }
        defer { close(pipeEnds[0]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        let argv = CStringArray([path] + arguments)
        let envp = CStringArray(["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"])
        var pid: pid_t = 0
        let spawned = argv.withUnsafeArray { arguments in
            envp.withUnsafeArray { environment in
                posix_spawn(&pid, path, &actions, nil, UnsafeMutablePointer(mutating: arguments),
                            UnsafeMutablePointer(mutating: environment))
            }
        }
        close(pipeEnds[1])
        guard spawned == 0 else { throw SystemError(errno: spawned, operation: "spawn", path: path) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            if output.count < 64 * 1024 { output += buffer[0..<count] }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let text = String(decoding: output, as: UTF8.self).split(separator: "\n").suffix(5).joined(separator: "; ")
            throw Failure(description: "\(name) \(arguments.joined(separator: " ")) failed (wait status \(status)): \(text)")
        }
    }
}
