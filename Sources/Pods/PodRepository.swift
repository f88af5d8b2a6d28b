import Foundation
import LinuxSupport

/// The pods under one data directory: creation, lookup by UUID prefix, listing. Safe for any number of
/// `rkt` processes at once: every state change is a rename done by the holder of the pod's exclusive lock.
public struct PodRepository: Sendable {
    public let layout: PodLayout

    /// A relative data directory is made absolute: stage1 runs with the pod directory as its working directory.
    public init(dataDirectory: String) throws {
        let absolute = dataDirectory.hasPrefix("/")
            ? dataDirectory : FileManager.default.currentDirectoryPath + "/" + dataDirectory
        layout = PodLayout(dataDirectory: absolute)
        for directory in layout.directories {
            try FileSystem.makeDirectories(directory, mode: 0o711)
        }
    }

    /// Creates a new pod in `embryo/`, locked exclusively by this process.
    public func create(uuid: String = PodUUID.generate()) throws -> Pod {
        let path = layout.podDirectory(uuid, in: .embryo)
        try retryingOnInterrupt("mkdir", path: path) { mkdir(path, 0o750) }
        let pod = Pod(uuid: uuid, layout: layout, location: .embryo, lock: try FileLock(path: path, create: false))
        try pod.lock(.exclusive)
        return pod
    }

    /// The UUIDs of every pod in one state directory.
    public func uuids(in directory: PodLayout.Directory) throws -> [String] {
        try FileSystem.entries(of: layout.directory(directory)).filter(PodUUID.isValid).sorted()
    }

    /// Opens the pod whose UUID is `text` or starts with it; errors name the prefix and the candidates.
    public func find(_ text: String) throws -> Pod {
        let wanted = text.lowercased()
        guard PodUUID.isValidPrefix(wanted) else { throw PodError.invalidUUID(text) }
        for _ in 0..<3 {
            var matches: [(String, PodLayout.Directory)] = []
            for directory in PodLayout.Directory.allCases {
                for uuid in try uuids(in: directory) where uuid.hasPrefix(wanted) {
                    if !matches.contains(where: { $0.0 == uuid }) { matches.append((uuid, directory)) }
                }
            }
            guard let first = matches.first else { throw PodError.notFound(text) }
            guard matches.count == 1 else { throw PodError.ambiguous(text, candidates: matches.map(\.0)) }
            if let pod = try open(uuid: first.0, in: first.1) { return pod }
            // Moved by another process between listing and opening: look again.
        }
        throw PodError.notFound(text)
    }

    /// Every pod, in state-directory order; pods that vanish while listing are skipped.
    public func all() throws -> [Pod] {
        var pods: [Pod] = []
        var seen = Set<String>()
        for directory in PodLayout.Directory.allCases {
            for uuid in try uuids(in: directory) where !seen.contains(uuid) {
                if let pod = try open(uuid: uuid, in: directory) ?? (try? find(uuid)) {
                    seen.insert(uuid)
                    pods.append(pod)
                }
            }
        }
        return pods
    }

    /// Opens a pod directory without locking it; nil when it is no longer there.
    func open(uuid: String, in directory: PodLayout.Directory) throws -> Pod? {
        let path = layout.podDirectory(uuid, in: directory)
        let lock: FileLock
        do {
            lock = try FileLock(path: path, create: false)
        } catch let error as SystemError where error.errno == ENOENT {
            return nil
        }
        let pod = Pod(uuid: uuid, layout: layout, location: directory, lock: lock)
        do {
            try pod.refresh()
        } catch PodError.notFound {
            return nil
        }
        return pod
    }
}
