import AppC
import Foundation
import Pods

/// What every entrypoint learns from its working directory (the pod directory) and the pod manifest:
/// every app of the pod, in manifest order.
struct PodDefinition {
    let files: PodFiles
    let manifest: PodManifest
    let apps: [App]

    struct App {
        let runtime: RuntimeApp
        let definition: AppC.App

        var name: String { runtime.name.value }
    }

    init() throws {
        let directory = FileManager.default.currentDirectoryPath
        guard directory.hasPrefix("/") else { throw NamespaceError("cannot read the working directory (the pod directory)") }
        files = PodFiles(directory: directory)
        guard let text = try SmallFile.read(files.manifest, limit: PodManifest.maximumSize) else {
            throw NamespaceError("\(files.manifest): cannot read the pod manifest (is the working directory a pod?)")
        }
        do {
            manifest = try PodManifest(jsonData: Data(text.utf8))
        } catch {
            throw NamespaceError("\(files.manifest): \(error)")
        }
        guard !manifest.apps.isEmpty else { throw NamespaceError("\(files.manifest): the pod has no apps") }
        apps = try manifest.apps.map { app in
            guard let definition = app.app else {
                throw NamespaceError("app \(app.name.value) has no app section in the pod manifest")
            }
            return App(runtime: app, definition: definition)
        }
    }

    func app(named name: String) -> App? {
        apps.first { $0.name == name }
    }

    func rootfs(of app: App) -> String { files.appRootfs(app.name) }
}
