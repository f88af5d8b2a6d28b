import Foundation
import LinuxSupport

/// The `gc` entrypoint: removes the pod's disks and sockets (stage0 then deletes the pod directory).
struct KvmGarbageCollect {
    func run() throws -> Int32 {
        try FileSystem.removeTree(FileManager.default.currentDirectoryPath + "/" + KvmPodFiles.directory)
        return 0
    }
}
