import Foundation
import XCTest

/// Helpers for the namespace flavor's end-to-end tests: the harness with `stage1-coreos`, and counts of what a
/// pod could leak (pod cgroups, network namespaces).
enum NamespacePods {
    static func harness() throws -> PodHarness {
        guard FileManager.default.fileExists(atPath: "/proc/self/ns/pid") else {
            throw XCTSkip("the namespace flavor needs PID namespaces (/proc/self/ns/pid)")
        }
        return try PodHarness(.coreos)
    }

    /// Pod cgroups (`PARENT/UUID`, the harness's cgroup parent) in every hierarchy, as `hierarchy/UUID` strings.
    static func podCgroups(_ pods: PodHarness) -> Set<String> {
        var found = Set<String>()
        let root = "/sys/fs/cgroup"
        let hierarchies = FileManager.default.fileExists(atPath: root + "/cgroup.controllers")
            ? [""] : ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).map { "/" + $0 }
        for hierarchy in hierarchies {
            let directory = root + hierarchy + "/" + pods.cgroupParent.name
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.count == 36 {
                found.insert(hierarchy + "/" + name)
            }
        }
        return found
    }

    /// The network namespaces of every process on the host.
    static func networkNamespaces() -> Set<String> {
        var found = Set<String>()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(entry) != nil {
            if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/ns/net") { found.insert(link) }
        }
        return found
    }
}
