import Foundation

/// A cgroup parent owned by one test harness: `rkt-test-XXXXXXXX` below the root of each hierarchy, handed to
/// pods through `RKT_CGROUP_PARENT` (stage1 creates it as needed). `remove()` deletes it once its pods are
/// collected, so the host's cgroup tree is left as it was.
public struct TestCgroupParent: Sendable {
    public let name: String
    public static let root = "/sys/fs/cgroup"

    public init() {
        name = "rkt-test-" + UUID().uuidString.prefix(8).lowercased()
    }

    /// The environment that puts a pod's cgroups below this parent.
    public var environment: [String: String] { ["RKT_CGROUP_PARENT": name] }

    /// The parent's directory in every hierarchy where it exists (v2: one; v1: one per controller).
    public var directories: [String] {
        let hierarchies = FileManager.default.fileExists(atPath: Self.root + "/cgroup.controllers")
            ? [Self.root] : ((try? FileManager.default.contentsOfDirectory(atPath: Self.root)) ?? []).map { Self.root + "/" + $0 }
        return hierarchies.map { $0 + "/" + name }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// Removes the parent; returns the directories that could not be removed (a pod's cgroup still in them).
    @discardableResult
    public func remove() -> [String] {
        directories.filter { rmdir($0) != 0 && errno != ENOENT }
    }
}
