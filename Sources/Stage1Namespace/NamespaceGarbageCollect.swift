import Foundation
import Isolation
import PodNetworking
import Pods

/// The `gc` entrypoint: `gc [--debug] UUID`, run by `rkt gc` in an exited pod's directory before it is
/// deleted. The pod's mounts lived in its own mount namespace and went with its last process; anything still
/// mounted below the app roots in this namespace is detached. The pod's cgroups (named by `subcgroup`, which
/// must be the one this flavor writes for the pod's UUID) are removed, and every CNI network recorded in
/// `net-info.json` is deleted (CNI DEL) before the pod's `netns` file is unmounted and removed — also for a
/// pod that crashed, as the record is written before each ADD.
struct NamespaceGarbageCollect {
    var uuid: String?

    init(arguments: [String]) throws {
        uuid = arguments.last { !$0.hasPrefix("-") }
    }

    func run() throws -> Int32 {
        let directory = FileManager.default.currentDirectoryPath
        let files = PodFiles(directory: directory)
        try MountTable.unmountAll(under: files.stage1Rootfs + "/opt/stage2")
        let podUUID = uuid ?? String(directory.split(separator: "/").last ?? "")
        guard PodUUID.isValid(podUUID) else { throw NamespaceError("gc: \(podUUID) is not a pod UUID") }
        let network = Result { try PodNetwork(files: files, uuid: podUUID).release() }
        try PodCgroup.removeRecorded(subcgroupFile: files.subcgroup, uuid: podUUID)
        try network.get()
        return 0
    }
}
