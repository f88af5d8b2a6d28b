import AppC
import ArgumentParser
import Foundation
import OCI
import ImageStore
import LinuxSupport
import Pods

/// `rkt export [--app=NAME] [--overwrite] UUID OUTPUT.aci`: write an exited pod's app, with every change
/// the app made to its root filesystem, as a new ACI. Its manifest is the app image's, without
/// dependencies (the exported rootfs already holds them).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export an app from an exited pod to an ACI file.")

    @OptionGroup var globals: GlobalOptions

    @Option(help: "Name of the app to export within the specified pod.")
    var app: String?

    @Flag(help: "Overwrite the output file if it exists.")
    var overwrite = false

    @Argument(help: "The pod's UUID (or a unique prefix).")
    var uuid: String

    @Argument(help: "The ACI file to write.")
    var output: String

    func run() throws {
        let store = try globals.openStore()
        let pod = try globals.findPod(uuid, in: try globals.openPodRepository())
        guard try pod.tryLock(.exclusive) else {
            throw CommandFailure(message: "pod \(pod.uuid) is \(try pod.state().rawValue); only exited pods can be exported")
        }
        // Holding the lock ourselves, the directory alone tells the state: run/ unlocked means exited.
        try pod.refresh()
        guard pod.location == .run || pod.location == .exitedGarbage else {
            let state = PodState(directory: pod.location, locked: false)
            throw CommandFailure(message: PodError.wrongState(uuid: pod.uuid, state: state, expected: "exited").description)
        }
        if FileManager.default.fileExists(atPath: output), !overwrite {
            throw CommandFailure(message: "\(output) already exists; use --overwrite to replace it")
        }
        let manifest = try PodReport.manifest(of: pod)
        let appName = try chooseApp(in: manifest, pod: pod)
        let files = pod.files
        guard let key = try SmallFile.read(files.appImageKey(appName), limit: 256)?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw CommandFailure(message: "pod \(pod.uuid): app \(appName) has no image record")
        }
        let record = try store.resolve(key)
        var imageManifest = try store.manifest(of: record)
        imageManifest.dependencies = []
        imageManifest.pathWhitelist = []
        imageManifest.annotations.removeAll { $0.name.value == AppCImageConversion.layersAnnotation }  // the export holds every file

        let shared = try store.sharedTree(for: record)
        let tree = shared.tree
        let mountPoint = files.directory + "/export-rootfs"
        try FileSystem.makeDirectories(mountPoint, mode: 0o700)
        defer {
            _ = try? MountTable.unmountAll(under: mountPoint)
            try? FileSystem.removeTree(mountPoint)
        }
        do {
            if FileSystem.exists(files.noOverlayMarker) {
                try Mounter.bind(files.appRootfs(appName), on: mountPoint, readOnly: true, recursive: false)  // the copy is the whole root
            } else {
                try Mounter.readOnlyOverlay(lowers: [files.overlayUpper("app-" + appName), tree.rootfs], target: mountPoint)
            }
        } catch {
            throw CommandFailure(message: "\(error) (export needs root and overlayfs)")
        }
        let temporary = output + ".tmp.\(getpid())"
        do {
            let writer = try ACIWriter(path: temporary)
            try writer.addManifest(Array(try imageManifest.jsonData(pretty: true)))
            try writer.addRootfs(mountPoint)
            try writer.finish()
            withExtendedLifetime(shared) {}
            try retryingOnInterrupt("rename", path: output) { rename(temporary, output) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private func chooseApp(in manifest: PodManifest, pod: Pod) throws -> String {
        if let app {
            guard manifest.apps.contains(where: { $0.name.value == app }) else {
                throw CommandFailure(message: "pod \(pod.uuid) has no app named \(app)")
            }
            return app
        }
        guard manifest.apps.count == 1, let only = manifest.apps.first else {
            throw CommandFailure(message: "pod \(pod.uuid) has several apps; choose one with --app")
        }
        return only.name.value
    }
}
