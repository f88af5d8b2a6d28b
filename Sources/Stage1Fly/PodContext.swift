import AppC
import Foundation
import Pods

/// What every entrypoint learns from its working directory (the pod directory) and the pod manifest.
struct PodContext {
    let files: PodFiles
    let manifest: PodManifest
    /// The single app of a fly pod.
    let app: RuntimeApp
    let appDefinition: App

    init() throws {
        let directory = FileManager.default.currentDirectoryPath
        guard directory.hasPrefix("/") else { throw FlyError("cannot read the working directory (the pod directory)") }
        files = PodFiles(directory: directory)
        guard let data = FileManager.default.contents(atPath: files.manifest) else {
            throw FlyError("\(files.manifest): cannot read the pod manifest (is the working directory a pod?)")
        }
        do {
            manifest = try PodManifest(jsonData: data)
        } catch {
            throw FlyError("\(files.manifest): \(error)")
        }
        guard manifest.apps.count == 1, let app = manifest.apps.first else {
            throw FlyError("the fly stage1 runs exactly one app; this pod has \(manifest.apps.count)")
        }
        guard let definition = app.app else {
            throw FlyError("app \(app.name.value) has no app section in the pod manifest")
        }
        self.app = app
        appDefinition = definition
    }

    var rootfs: String { files.appRootfs(app.name.value) }
}
