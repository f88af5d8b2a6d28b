import Glibc
import LinuxSupport

/// The pod's cgroup, `PARENT/UUID` below each hierarchy root (PARENT is `rkt` unless `RKT_CGROUP_PARENT` names
/// another relative path, as a test suite or a service manager does to own and remove its pods' cgroups):
/// stage1 and the pod init sit in `PARENT/UUID/stage1`, each app in `PARENT/UUID/app-APP` (the prefix keeps an app named `stage1` apart) with its limits (`resource/memory`, `resource/cpu`, `os/linux/cpu-shares`).
/// On cgroup v1 the memory, cpu and pids hierarchies are used; on v2 those controllers are enabled down
/// the path (leaves only hold processes, as v2 requires). `subcgroup` in the pod directory names the path;
/// `rkt gc` removes it (`remove`).
public struct PodCgroup: Sendable {
    public let hierarchy: CgroupHierarchy
    public let subcgroup: String
    static let v1Controllers = ["memory", "cpu", "pids"]
    static let stage1Leaf = "stage1"

    public static func appLeaf(_ app: String) -> String { "app-" + app }

    /// The directories of the pod's cgroup, one per hierarchy (v1) or one (v2).
    public var podDirectories: [String] { Self.bases(hierarchy).map { $0 + "/" + subcgroup } }

    public static func bases(_ hierarchy: CgroupHierarchy) -> [String] {
        switch hierarchy {
        case let .v2(root): return [root]
        case let .v1(root): return v1Controllers.compactMap { CgroupHierarchy.v1Directory(root: root, controller: $0) }
        }
    }

    public static func subcgroup(uuid: String, parent: String = defaultParent) -> String { parent + "/" + uuid }

    /// Creates the pod's cgroups below `parent` (created as needed; see `parent(environment:)`) and writes each
    /// app's limits (in this host's hierarchy unless one is given).
    public static func create(uuid: String, parent: String = defaultParent, apps: [CgroupRequest],
                              in given: CgroupHierarchy? = nil) throws -> PodCgroup {
        guard let hierarchy = given ?? CgroupHierarchy.detect() else {
            throw IsolationError("\(CgroupHierarchy.defaultRoot): cannot tell the cgroup hierarchy (is cgroupfs mounted?)")
        }
        guard isValidParent(parent) else { throw IsolationError(invalidParentMessage(parent)) }
        let cgroup = PodCgroup(hierarchy: hierarchy, subcgroup: subcgroup(uuid: uuid, parent: parent))
        let leaves = [stage1Leaf] + apps.map { appLeaf($0.app) }
        let components = cgroup.subcgroup.split(separator: "/").map(String.init)
        switch hierarchy {
        case let .v2(root):
            var path = root
            for component in components {
                try enableControllers(in: path)
                path += "/" + component
                try makeDirectory(path)
            }
            try enableControllers(in: path)
            for leaf in leaves { try makeDirectory(path + "/" + leaf) }
        case .v1:
            for base in bases(hierarchy) {
                var path = base
                for component in components {
                    path += "/" + component
                    try makeDirectory(path)
                }
                for leaf in leaves { try makeDirectory(path + "/" + leaf) }
            }
        }
        for request in apps { try cgroup.apply(request) }
        return cgroup
    }

    private func apply(_ request: CgroupRequest) throws {
        switch hierarchy {
        case let .v2(root):
            let directory = root + "/" + subcgroup + "/" + Self.appLeaf(request.app)
            if let bytes = request.memoryBytes {
                try Self.writeSetting(directory + "/memory.max", "\(bytes)")
                if KernelFile.exists(directory + "/memory.swap.max") { try Self.writeSetting(directory + "/memory.swap.max", "0") }
            }
            if let millicores = request.cpuMillicores { try Self.writeSetting(directory + "/cpu.max", "\(millicores * 100) 100000") }
            if let shares = request.cpuShares { try Self.writeSetting(directory + "/cpu.weight", "\(1 + ((shares - 2) * 9999) / 262_142)") }
        case let .v1(root):
            func directory(_ controller: String) throws -> String {
                guard let base = CgroupHierarchy.v1Directory(root: root, controller: controller) else {
                    throw IsolationError("app \(request.app): no cgroup v1 \(controller) hierarchy below \(root)")
                }
                return base + "/" + subcgroup + "/" + Self.appLeaf(request.app)
            }
            if let bytes = request.memoryBytes {
                let memory = try directory("memory")
                try Self.writeSetting(memory + "/memory.limit_in_bytes", "\(bytes)")
                if KernelFile.exists(memory + "/memory.memsw.limit_in_bytes") {
                    try Self.writeSetting(memory + "/memory.memsw.limit_in_bytes", "\(bytes)")
                }
            }
            if let millicores = request.cpuMillicores {
                let cpu = try directory("cpu")
                try Self.writeSetting(cpu + "/cpu.cfs_period_us", "100000")
                try Self.writeSetting(cpu + "/cpu.cfs_quota_us", "\(millicores * 100)")
            }
            if let shares = request.cpuShares { try Self.writeSetting(try directory("cpu") + "/cpu.shares", "\(shares)") }
        }
    }

    /// Moves the calling process into the stage1 leaf (stage1 and the pod init live there).
    public func enter() throws {
        for directory in podDirectories { try Self.writeSetting(directory + "/" + Self.stage1Leaf + "/cgroup.procs", "0") }
    }

    /// Moves the calling process into an app's leaf: called in the app's child before it execs. Returns
    /// false with errno set on failure.
    public func join(app: String) -> Bool {
        for directory in podDirectories {
            let path = directory + "/" + Self.appLeaf(app) + "/cgroup.procs"
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { return false }
            let written = write(fd, "0", 1)
            close(fd)
            if written != 1 { return false }
        }
        return true
    }

    /// `rkt gc`'s part: removes the cgroups that `subcgroupFile` (the pod's `subcgroup`) names, after checking
    /// that it names this pod's own cgroup, `PARENT/UUID` with a valid parent (a tampered file must not send
    /// rmdir elsewhere). No file: nothing to do. The parent stays: it is its owner's to remove.
    public static func removeRecorded(subcgroupFile: String, uuid: String) throws {
        let fd = open(subcgroupFile, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 && errno == ENOENT { return }
        if fd >= 0 { close(fd) }
        let recorded = try String(contentsOfFileWithoutFoundation: subcgroupFile)
        let parent = recorded.hasSuffix("/" + uuid) ? String(recorded.dropLast(uuid.count + 1)) : ""
        guard isValidParent(parent), uuid.count == 36, !uuid.contains("/") else {
            throw IsolationError("gc: \(subcgroupFile) names \(recorded.debugDescription), not this pod's cgroup; left alone")
        }
        try remove(subcgroup: recorded)
    }

    /// Removes the pod's cgroups (every process in them must be gone): leaves first, then the pod directory.
    /// Returns how many directories were removed.
    @discardableResult
    public static func remove(subcgroup: String, in given: CgroupHierarchy? = nil) throws -> Int {
        guard let hierarchy = given ?? CgroupHierarchy.detect() else { return 0 }
        var removed = 0
        for base in bases(hierarchy) {
            let directory = base + "/" + subcgroup
            guard KernelFile.exists(directory) else { continue }
            for child in try FileSystem.entries(of: directory) where FileSystem.isDirectory(directory + "/" + child) {
                guard rmdir(directory + "/" + child) == 0 || errno == ENOENT else {
                    throw SystemError.current("remove cgroup", path: directory + "/" + child)
                }
                removed += 1
            }
            guard rmdir(directory) == 0 || errno == ENOENT else { throw SystemError.current("remove cgroup", path: directory) }
            removed += 1
        }
        return removed
    }

    private static func enableControllers(in directory: String) throws {
        let available = (try? String(contentsOfFileWithoutFoundation: directory + "/cgroup.controllers")) ?? ""
        let wanted = ["memory", "cpu", "pids"].filter { available.split(separator: " ").map(String.init).contains($0) }
        guard !wanted.isEmpty else { return }
        try writeSetting(directory + "/cgroup.subtree_control", wanted.map { "+" + $0 }.joined(separator: " "))
    }

    private static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw SystemError.current("create cgroup", path: path) }
    }

    static func writeSetting(_ path: String, _ value: String) throws {
        let fd = try retryingOnInterrupt("open", path: path) { open(path, O_WRONLY | O_CLOEXEC) }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw SystemError.current("write \(value.debugDescription) to", path: path) }
    }
}
