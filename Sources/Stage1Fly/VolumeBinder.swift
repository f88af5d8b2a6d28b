import AppC
import Glibc
import LinuxSupport
import Pods

/// Bind-mounts an app's volumes into its rootfs (in the pod's private mount namespace): host volumes from
/// their source, empty volumes from a directory the pod owns. Targets are resolved inside the rootfs so an
/// image's symlinks cannot point a mount outside it.
struct VolumeBinder {
    let context: PodContext

    /// A volume ready to mount: where it comes from and how.
    struct Binding {
        let volume: String
        let source: String
        let target: String
        let readOnly: Bool
        let recursive: Bool
    }

    /// Resolves every mount of the app; fails (before anything is mounted) naming the volume at fault.
    func bindings() throws -> [Binding] {
        try context.app.mounts.map { mount in
            let name = mount.volume.value
            guard let volume = mount.appVolume ?? context.manifest.volumes.first(where: { $0.name == mount.volume }) else {
                throw FlyError("mount at \(mount.path) names volume \(name), which the pod does not define")
            }
            let source: String
            switch volume.kind {
            case .host:
                source = volume.source ?? ""
                guard FileSystem.exists(source) else {
                    throw FlyError("volume \(name): source \(source) does not exist")
                }
            case .empty:
                source = context.files.emptyVolume(name)
            }
            let mountPointReadOnly = context.appDefinition.mountPoints.first { $0.name == mount.volume }?.readOnly ?? false
            let target = try ContainedPath.resolve(mount.path, in: context.rootfs)
            return Binding(volume: name, source: source, target: target,
                           readOnly: volume.readOnly ?? mountPointReadOnly, recursive: volume.recursive ?? true)
        }
    }

    func mount(_ bindings: [Binding]) throws {
        for volume in context.manifest.volumes where volume.kind == .empty {
            let path = context.files.emptyVolume(volume.name.value)
            if !FileSystem.exists(path) {
                try FileSystem.makeDirectories(path, mode: 0o755)
                try retryingOnInterrupt("chmod", path: path) { chmod(path, mode_t(volume.modeBits ?? 0o755)) }
                try retryingOnInterrupt("chown", path: path) { chown(path, uid_t(volume.uid ?? 0), gid_t(volume.gid ?? 0)) }
            }
        }
        for binding in bindings {
            try Mounter.makeMountPoint(for: binding.source, at: binding.target)
            try Mounter.bind(binding.source, on: binding.target, readOnly: binding.readOnly, recursive: binding.recursive)
        }
    }
}
