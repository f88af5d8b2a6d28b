import Foundation
import Pods

/// The `gc` entrypoint: `gc [--debug] UUID`, run by `rkt gc` in an exited pod's directory before it is
/// deleted. The fly flavor's own mounts lived in the pod's private namespace and went with it; anything
/// still mounted below the pod directory in this namespace is detached.
struct FlyGarbageCollect {
    init(arguments: [String]) throws {}

    func run() throws -> Int32 {
        let directory = FileManager.default.currentDirectoryPath
        try MountTable.unmountAll(under: directory + "/stage1/rootfs/opt/stage2")
        return 0
    }
}
