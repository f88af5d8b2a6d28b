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

    /// Pod cgroups (`PARENT/UUID`, the harness's cgroup parent) in every hierarchy, as directory paths.
    static func podCgroups(_ pods: PodHarness) -> Set<String> {
        var found = Set<String>()
        for directory in pods.cgroupParent.directories {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.count == 36 {
                found.insert(directory + "/" + name)
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
