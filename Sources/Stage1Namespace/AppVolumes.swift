import AppC
import Glibc
import LinuxSupport
import Pods

/// An app's volumes, bind-mounted into its rootfs in the pod's mount namespace: host volumes from their
/// source, empty volumes from a directory the pod owns. Targets are resolved inside the rootfs so an image's
/// symlinks cannot point a mount outside it.
struct AppVolumes {
    let pod: PodDefinition
    let app: PodDefinition.App

    /// A volume ready to mount: where it comes from and how.
    struct Binding {
        let volume: String
        let source: String
        let target: String
        let readOnly: Bool
        let recursive: Bool
        let emptyVolume: Volume?
    }

    /// Resolves every mount of the app; fails (before anything is mounted) naming the volume at fault.
    func bindings() throws -> [Binding] {
        let rootfs = pod.rootfs(of: app)
        return try app.runtime.mounts.map { mount in
            let name = mount.volume.value
            guard let volume = mount.appVolume ?? pod.manifest.volumes.first(where: { $0.name == mount.volume }) else {
                throw NamespaceError("app \(app.name): mount at \(mount.path) names volume \(name), which the pod does not define")
            }
            let source: String
            switch volume.kind {
            case .host:
                source = volume.source ?? ""
                guard FileSystem.exists(source) else { throw NamespaceError("volume \(name): source \(source) does not exist") }
            case .empty:
                source = pod.files.emptyVolume(name)
            }
            let mountPointReadOnly = app.definition.mountPoints.first { $0.name == mount.volume }?.readOnly ?? false
            let target = try ContainedPath.resolve(mount.path, in: rootfs)
            return Binding(volume: name, source: source, target: target, readOnly: volume.readOnly ?? mountPointReadOnly,
                           recursive: volume.recursive ?? true, emptyVolume: volume.kind == .empty ? volume : nil)
        }
    }

    /// Creates empty volumes that do not exist yet and bind-mounts every binding.
    static func mount(_ bindings: [Binding]) throws {
        for binding in bindings {
            if let volume = binding.emptyVolume, !FileSystem.exists(binding.source) {
                try FileSystem.makeDirectories(binding.source, mode: 0o755)
                try retryingOnInterrupt("chmod", path: binding.source) { chmod(binding.source, mode_t(volume.modeBits ?? 0o755)) }
                try retryingOnInterrupt("chown", path: binding.source) {
                    chown(binding.source, uid_t(volume.uid ?? 0), gid_t(volume.gid ?? 0))
                }
            }
            try Mounter.makeMountPoint(for: binding.source, at: binding.target)
            try Mounter.bind(binding.source, on: binding.target, readOnly: binding.readOnly, recursive: binding.recursive)
        }
    }
}
