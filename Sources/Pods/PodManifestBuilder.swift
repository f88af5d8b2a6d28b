import AppC
import Foundation

/// Builds a pod manifest from the images' manifests and the command line, as `rkt run`/`rkt prepare` do.
/// Environment precedence, lowest first: the image's, `--inherit-env` (the caller's), `--set-env-file`,
/// `--set-env`, then the app's own `--environment`.
public struct PodManifestBuilder {
    /// One app to put in the pod: what the user asked for plus the image it resolved to.
    public struct ResolvedApp {
        public var options: AppOptions
        public var imageManifest: ImageManifest
        public var imageID: ImageID

        public init(options: AppOptions, imageManifest: ImageManifest, imageID: ImageID) {
            self.options = options
            self.imageManifest = imageManifest
            self.imageID = imageID
        }
    }

    public var volumes: [Volume] = []
    /// `--mount` flags given before the first image: they apply to every app.
    public var podMounts: [AppOptions.MountOption] = []
    public var inheritedEnvironment: [AppOptions.NameValue] = []
    public var environmentFile: [AppOptions.NameValue] = []
    public var setEnvironment: [AppOptions.NameValue] = []
    public var ports: [ExposedPort] = []
    public var annotations: [Annotation] = []

    public init() {}

    public func build(_ apps: [ResolvedApp]) throws -> PodManifest {
        guard !apps.isEmpty else { throw RunArgumentError("at least one image is required") }
        var runtimeApps: [RuntimeApp] = []
        for resolved in apps {
            let app = try runtimeApp(resolved)
            guard !runtimeApps.contains(where: { $0.name == app.name }) else {
                throw RunArgumentError("app name \(app.name.value.debugDescription) is used twice; give one of them --name")
            }
            runtimeApps.append(app)
        }
        let manifest = PodManifest(apps: runtimeApps, volumes: volumes, annotations: annotations, ports: ports)
        try manifest.validate()
        return manifest
    }

    func runtimeApp(_ resolved: ResolvedApp) throws -> RuntimeApp {
        let options = resolved.options
        let image = resolved.imageManifest
        let name: ACName
        if let given = options.name {
            guard let valid = try? ACName(given) else {
                throw RunArgumentError("--name \(given.debugDescription) is not a valid app name (lower-case letters, digits, dashes)")
            }
            name = valid
        } else {
            guard let derived = ACName.defaultAppName(forImage: image.name) else {
                throw RunArgumentError("cannot derive an app name from image \(image.name.value); give --name")
            }
            name = derived
        }

        var app: App
        if let imageApp = image.app {
            app = imageApp
        } else if options.exec != nil {
            app = App(exec: [], user: "0", group: "0")
        } else {
            throw RunArgumentError("image \(image.name.value) has no app section; give --exec")
        }
        if let exec = options.exec {
            app.exec = [exec] + (options.arguments ?? [])
        } else if let arguments = options.arguments {
            guard let program = app.exec.first else {
                throw RunArgumentError("image \(image.name.value) has no exec; give --exec")
            }
            app.exec = [program] + arguments
        }
        guard !app.exec.isEmpty else {
            throw RunArgumentError("image \(image.name.value) has no exec; give --exec")
        }
        if let user = options.user { app.user = user }
        if let group = options.group { app.group = group }
        if let directory = options.workingDirectory {
            guard directory.hasPrefix("/") else {
                throw RunArgumentError("--working-dir \(directory.debugDescription) must be an absolute path")
            }
            app.workingDirectory = directory
        }
        var environment = app.environment
        for layer in [inheritedEnvironment, environmentFile, setEnvironment, options.environmentPairs] {
            for variable in layer {
                guard EnvironmentVariable.isValidName(variable.name) else {
                    throw RunArgumentError("\(variable.name.debugDescription) is not a valid environment variable name")
                }
                if let index = environment.firstIndex(where: { $0.name == variable.name }) {
                    environment[index].value = variable.value
                } else {
                    environment.append(EnvironmentVariable(name: variable.name, value: variable.value))
                }
            }
        }
        app.environment = environment
        try options.isolators.apply(to: &app)
        try app.validate(at: "app \(name.value)")

        var mounts: [Mount] = []
        for option in podMounts + options.mounts {
            guard let volume = try? ACName(option.volume), volumes.contains(where: { $0.name == volume }) else {
                throw RunArgumentError("--mount names volume \(option.volume.debugDescription), which no --volume defines")
            }
            guard option.target.hasPrefix("/") else {
                throw RunArgumentError("--mount target \(option.target.debugDescription) must be an absolute path")
            }
            mounts.append(Mount(volume: volume, path: option.target))
        }
        for point in app.mountPoints where volumes.contains(where: { $0.name == point.name })
            && !mounts.contains(where: { $0.volume == point.name }) {
            mounts.append(Mount(volume: point.name, path: point.path))
        }
        return RuntimeApp(name: name, image: RuntimeImage(name: image.name, id: resolved.imageID, labels: image.labels),
                          app: app, readOnlyRootFS: options.isolators.readOnlyRootFS ?? false, mounts: mounts)
    }

    /// Parses an `--set-env-file`: one `NAME=VALUE` per line; blank lines and `#` comments are skipped.
    public static func environmentFile(_ text: String, path: String) throws -> [AppOptions.NameValue] {
        var result: [AppOptions.NameValue] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            do {
                result.append(try AppOptions.NameValue(parsing: trimmed, flag: "--set-env-file"))
            } catch {
                throw RunArgumentError("\(path):\(number + 1): expected NAME=VALUE")
            }
        }
        return result
    }
}
