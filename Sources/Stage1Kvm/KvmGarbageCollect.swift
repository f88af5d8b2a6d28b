import Foundation
import Isolation
import LinuxSupport
import Pods

/// The `gc` entrypoint: `gc [--debug] UUID`. Removes the pod's disks and sockets and its cgroup (the VMM ran
/// in it); stage0 then deletes the pod directory.
struct KvmGarbageCollect {
    var uuid: String?

    init(arguments: [String]) {
        uuid = arguments.last { !$0.hasPrefix("-") }
    }

    func run() throws -> Int32 {
        let directory = FileManager.default.currentDirectoryPath
        try FileSystem.removeTree(directory + "/" + KvmPodFiles.directory)
        let podUUID = uuid ?? String(directory.split(separator: "/").last ?? "")
        guard PodUUID.isValid(podUUID) else { throw KvmError("gc: \(podUUID) is not a pod UUID") }
        try PodCgroup.removeRecorded(subcgroupFile: PodFiles(directory: directory).subcgroup, uuid: podUUID)
        return 0
    }
}
