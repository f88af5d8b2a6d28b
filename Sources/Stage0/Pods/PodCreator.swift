import AppC
import Foundation
import ImageStore
import LinuxSupport
import Pods

/// Turns `rkt run`/`rkt prepare` arguments into a prepared pod: fetch the images and the stage1, build the pod
/// manifest, render every image tree and check each app against it (program, user, group, working directory,
/// volume sources) — all before a pod directory exists, so a refused pod leaves nothing behind — then create
/// the pod (embryo → prepare) and write its files. The pod is returned locked, in `prepare/`.
struct PodCreator {
    let store: ImageStore
    let repository: PodRepository
    let globals: GlobalOptions
    let options: PodOptions

    struct Prepared {
        let pod: Pod
        let manifest: PodManifest
    }

    func create(imageArguments: [String]) throws -> Prepared {
        let stage1 = try Stage1Selector(store: store, globals: globals, options: options.stage1).select()
        let (manifest, records) = try options.podManifest != nil
            ? manifestFromFile(imageArguments: imageArguments)
            : manifestFromArguments(imageArguments)
        try Stage1Compatibility.check(manifest, net: options.net, stage1Name: stage1.name)
        try check(manifest, records: records)

        let pod = try repository.create()
        do {
            try pod.move(to: .prepare)
            let files = pod.files
            try AtomicFile.write(Array(try manifest.jsonData()), to: files.manifest, mode: 0o644)
            try AtomicFile.write(Array(stage1.key.utf8), to: files.stage1ImageKey, mode: 0o644)
            try FileSystem.makeDirectories(files.stage1Rootfs, mode: 0o755)
            try AtomicFile.write(Array(stage1.manifestJSON.utf8), to: files.stage1Manifest, mode: 0o644)
            for (app, record) in zip(manifest.apps, records) {
                try FileSystem.makeDirectories(files.appsInfo + "/" + app.name.value, mode: 0o755)
                try AtomicFile.write(Array(record.key.utf8), to: files.appImageKey(app.name.value), mode: 0o644)
            }
            if options.noOverlay {
                try AtomicFile.write([], to: files.noOverlayMarker, mode: 0o644)
            }
            if let path = options.uuidFileSave {
                try AtomicFile.write(Array(pod.uuid.utf8), to: path, mode: 0o644)
            }
        } catch {
            try? PodReaper(store: store, globals: globals).discard(pod)
            throw error
        }
        return Prepared(pod: pod, manifest: manifest)
    }

    private func manifestFromArguments(_ arguments: [String]) throws -> (PodManifest, [ImageRecord]) {
        let apps: [AppOptions]
        do {
            apps = try RunArgumentParser.parse(arguments)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        guard !apps.isEmpty else { throw CommandFailure(message: "at least one image is required") }
        var builder = PodManifestBuilder()
        do {
            builder.volumes = try options.volume.map(Volume.init(parsing:))
            builder.podMounts = try options.mount.map(AppOptions.MountOption.init(parsing:))
            builder.ports = try options.port.map(ExposedPort.init(parsing:))
            builder.setEnvironment = try options.setEnv.map { try AppOptions.NameValue(parsing: $0, flag: "--set-env") }
            for path in options.setEnvFile {
                guard let text = try SmallFile.read(path, limit: 1 << 20) else {
                    throw CommandFailure(message: "--set-env-file \(path): no such file")
                }
                builder.environmentFile += try PodManifestBuilder.environmentFile(text, path: path)
            }
            if options.inheritEnv {
                builder.inheritedEnvironment = ProcessInfo.processInfo.environment.sorted { $0.key < $1.key }
                    .filter { EnvironmentVariable.isValidName($0.key) }
                    .map { AppOptions.NameValue(name: $0.key, value: $0.value) }
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        let fetcher = ImageFetcher(store: store, globals: globals, pullPolicy: options.pullPolicy)
        var resolved: [PodManifestBuilder.ResolvedApp] = []
        var records: [ImageRecord] = []
        for app in apps {
            let record = try fetcher.fetch(app.image)
            let imageManifest = try store.manifest(of: record)
            resolved.append(.init(options: app, imageManifest: imageManifest, imageID: try Self.imageID(of: record)))
            records.append(record)
        }
        do {
            return (try builder.build(resolved), records)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }

    /// `--pod-manifest FILE`: the apps' images must be in the store; an app without an `app` section gets
    /// its image's.
    private func manifestFromFile(imageArguments: [String]) throws -> (PodManifest, [ImageRecord]) {
        guard imageArguments.isEmpty else {
            throw CommandFailure(message: "--pod-manifest cannot be combined with images on the command line")
        }
        let path = options.podManifest ?? ""
        var manifest: PodManifest
        do {
            guard let text = try SmallFile.read(path, limit: PodManifest.maximumSize) else {
                throw CommandFailure(message: "--pod-manifest \(path): no such file")
            }
            manifest = try PodManifest(jsonData: Data(text.utf8))
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(message: "--pod-manifest \(path): \(error)")
        }
        var records: [ImageRecord] = []
        for index in manifest.apps.indices {
            let app = manifest.apps[index]
            let record: ImageRecord
            do {
                record = try store.resolve(app.image.id.description)
            } catch {
                throw CommandFailure(message: "--pod-manifest \(path): app \(app.name.value): image \(app.image.id): \(error)")
            }
            if app.app == nil { manifest.apps[index].app = try store.manifest(of: record).app }
            records.append(record)
        }
        return (manifest, records)
    }

    /// Refuses a pod that could not start: renders each image tree and resolves the app inside it.
    private func check(_ manifest: PodManifest, records: [ImageRecord]) throws {
        for volume in manifest.volumes where volume.kind == .host {
            if let source = volume.source, !FileSystem.exists(source) {
                throw CommandFailure(message: "volume \(volume.name.value): source \(source) does not exist")
            }
        }
        for (app, record) in zip(manifest.apps, records) {
            guard let definition = app.app else {
                throw CommandFailure(message: "app \(app.name.value): its image has no app section; give --exec")
            }
            let tree = try store.sharedTree(for: record).tree
            do {
                _ = try AppExecPlan(app: definition, appName: app.name.value, rootfs: tree.rootfs)
            } catch {
                throw CommandFailure(message: "\(error)")
            }
            for mount in app.mounts {
                guard let volume = mount.appVolume ?? manifest.volumes.first(where: { $0.name == mount.volume }) else {
                    throw CommandFailure(message: "app \(app.name.value): mount at \(mount.path) names volume "
                        + "\(mount.volume.value), which the pod does not define")
                }
                if volume.kind == .host, let source = volume.source, !FileSystem.exists(source) {
                    throw CommandFailure(message: "volume \(volume.name.value): source \(source) does not exist")
                }
            }
        }
    }

    static func imageID(of record: ImageRecord) throws -> ImageID {
        try ImageID(record.key)
    }
}
