import Foundation
import LinuxSupport

/// Resolves a path inside a root directory the way the kernel would after `chroot(root)`: symlinks are
/// followed relative to the root, `..` never climbs above it. The result is a host path below `root`.
/// Used on image trees, which are untrusted: a symlink `/etc -> /../../host` stays inside the root.
public enum ContainedPath {
    public static let maximumLinks = 40

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case tooManyLinks(String)
        case notADirectory(String)

        public var description: String {
            switch self {
            case .tooManyLinks(let path): return "\(path): too many levels of symbolic links"
            case .notADirectory(let path): return "\(path): a path component is not a directory"
            }
        }
    }

    /// The host path of `path` inside `root`. Components that do not exist are appended as they are.
    public static func resolve(_ path: String, in root: String) throws -> String {
        var resolved: [String] = []
        var pending = Array(path.split(separator: "/").map(String.init).reversed())
        var links = 0
        while let component = pending.popLast() {
            switch component {
            case ".", "": continue
            case "..": _ = resolved.popLast(); continue
            default: break
            }
            let candidate = root + "/" + (resolved + [component]).joined(separator: "/")
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                resolved.append(component)
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                links += 1
                guard links <= maximumLinks else { throw Failure.tooManyLinks(path) }
                let target = try readLink(candidate)
                if target.hasPrefix("/") { resolved = [] }
                pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
                continue
            }
            if !pending.isEmpty, (info.st_mode & S_IFMT) != S_IFDIR,
               pending.contains(where: { $0 != "." && $0 != "" }) {
                throw Failure.notADirectory(path)
            }
            resolved.append(component)
        }
        return resolved.isEmpty ? root : root + "/" + resolved.joined(separator: "/")
    }

    private static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw SystemError.current("readlink", path: path) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
