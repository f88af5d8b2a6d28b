import AppC
import Foundation
import ImageStore
import LinuxSupport
import Pods

/// Deletes pods: lets the stage1's `gc` entrypoint clean up, detaches everything still mounted below the
/// pod directory, and removes it. The caller holds the pod's lock exclusively.
struct PodReaper {
    let store: ImageStore
    let globals: GlobalOptions

    static let gcAnnotation = "coreos.com/rkt/stage1/gc"

    /// Throws away a pod that never ran (a failed prepare or start).
    func discard(_ pod: Pod) throws {
        try MountTable.unmountAll(under: pod.path)
        if pod.location != .garbage { try pod.move(to: .garbage) }
        try FileSystem.removeTree(pod.path)
    }

    /// Deletes a pod that is not running, after running its stage1 `gc` entrypoint.
    func delete(_ pod: Pod) throws {
        runStage1GarbageCollection(pod)
        try MountTable.unmountAll(under: pod.path)
        try FileSystem.removeTree(pod.path)
    }

    private func runStage1GarbageCollection(_ pod: Pod) {
        let files = pod.files
        guard let manifestText = try? SmallFile.read(files.stage1Manifest, limit: 1 << 20),
              let manifest = try? AppC.ImageManifest(jsonData: Data(manifestText.utf8)),
              let entrypoint = manifest.annotation(Self.gcAnnotation),
              let program = try? files.stage1Entrypoint(entrypoint),
              FileManager.default.isExecutableFile(atPath: program)
        else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = (globals.debug ? ["--debug"] : []) + [pod.uuid]
        process.currentDirectoryURL = URL(fileURLWithPath: files.directory)
        do {
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                Console.error("rkt: stage1 gc of pod \(pod.uuid) exited with status \(process.terminationStatus)")
            }
        } catch {
            Console.error("rkt: stage1 gc of pod \(pod.uuid): \(error)")
        }
    }
}
