/// Where pods live under rkt's data directory, as in rkt:
///
///     pods/embryo/UUID          being created (locked by its creator)
///     pods/prepare/UUID         being prepared (locked); unlocked here means an aborted prepare
///     pods/prepared/UUID        ready for `run-prepared`
///     pods/run/UUID             running while its stage1 holds the lock, exited once it is released
///     pods/exited-garbage/UUID  exited and marked by `gc`; deleted after the grace period
///     pods/garbage/UUID         never ran (aborted, expired prepared); deleted by the next `gc`
///
/// A pod's lock is a `flock` on its directory, so it follows the pod through every rename.
public struct PodLayout: Sendable {
    public enum Directory: String, CaseIterable, Sendable {
        case embryo
        case prepare
        case prepared
        case run
        case exitedGarbage = "exited-garbage"
        case garbage
    }

    public let dataDirectory: String

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory.count > 1 && dataDirectory.hasSuffix("/")
            ? String(dataDirectory.dropLast()) : dataDirectory
    }

    public var pods: String { dataDirectory + "/pods" }

    public func directory(_ directory: Directory) -> String { pods + "/" + directory.rawValue }

    public func podDirectory(_ uuid: String, in directory: Directory) -> String {
        self.directory(directory) + "/" + uuid
    }

    /// Every directory the pod machinery needs.
    public var directories: [String] { [pods] + Directory.allCases.map(directory) }
}
