import Foundation
import Isolation
import LinuxSupport
import PodNetworking
import Pods

/// The `gc` entrypoint: `gc [--debug] UUID`. Deletes the pod's CNI networks (CNI DEL; the taps go with the
/// pod's network namespace), removes its disks and sockets and its cgroup (the VMM ran in it); stage0 then
/// deletes the pod directory. Every step is tried; the first failure is reported after the others ran.
struct KvmGarbageCollect {
    var uuid: String?

    init(arguments: [String]) {
        uuid = arguments.last { !$0.hasPrefix("-") }
    }

    func run() throws -> Int32 {
        let directory = FileManager.default.currentDirectoryPath
        let podUUID = uuid ?? String(directory.split(separator: "/").last ?? "")
        guard PodUUID.isValid(podUUID) else { throw KvmError("gc: \(podUUID) is not a pod UUID") }
        let files = PodFiles(directory: directory)
        let network = Result { try PodNetwork(files: files, uuid: podUUID).release() }
        let disks = Result { try FileSystem.removeTree(directory + "/" + KvmPodFiles.directory) }
        try PodCgroup.removeRecorded(subcgroupFile: files.subcgroup, uuid: podUUID)
        try network.get()
        try disks.get()
        return 0
    }
}
