import AppC
import GuestProtocol
import Isolation
import Pods

/// Everything the pod's VM needs, worked out on the host before it starts: the guest config (each app
/// resolved against its image: program path, ids, environment, working directory), the disks in guest
/// order, and the VM's size. Pure apart from what `AppExecPlan` reads from the app's rootfs.
struct KvmPodPlan {
    var config: GuestPodConfig
    var disks: [VMDisk]
    var size: VMSize
    /// Host volumes that need a disk image built from their source, by disk index.
    var hostVolumes: [(index: Int, volume: Volume)]

    /// Where a disk's image comes from: the app's image disk in the store, the volume's per-pod disk.
    struct Sources {
        var stage1Root: String
        var configDisk: String
        var scratchDisk: String
        var appRootDisk: (String) throws -> String
        var appRootfs: (String) -> String
        var volumeDisk: (String) -> String
    }

    init(manifest: PodManifest, options: Stage1Arguments, sources: Sources, hostCPUs: Int) throws {
        disks = [VMDisk(path: sources.stage1Root, readOnly: true), VMDisk(path: sources.configDisk, readOnly: true),
                 VMDisk(path: sources.scratchDisk, readOnly: false)]
        hostVolumes = []
        var definitions: [App] = []
        var apps: [GuestApp] = []
        var imageDisks: [String: Int] = [:]
        for runtimeApp in manifest.apps {
            let name = runtimeApp.name.value
            guard let definition = runtimeApp.app else { throw KvmError("app \(name) has no app section in the pod manifest") }
            definitions.append(definition)
            let diskPath = try sources.appRootDisk(name)
            let index = imageDisks[diskPath] ?? disks.count
            if imageDisks[diskPath] == nil {
                imageDisks[diskPath] = index
                disks.append(VMDisk(path: diskPath, readOnly: true))
            }
            let plan = try AppExecPlan(app: definition, appName: name, rootfs: sources.appRootfs(name))
            var app = GuestApp(name: name, imageDisk: index, program: plan.program, arguments: plan.arguments)
            app.environment = plan.environment
            app.uid = plan.uid
            app.gid = plan.gid
            app.supplementaryGIDs = plan.supplementaryGIDs
            app.workingDirectory = plan.workingDirectory
            app.readOnlyRootfs = runtimeApp.readOnlyRootFS
            // The same capability sets and seccomp filters as the namespace flavor; GuestInit applies them.
            if !options.disableCapabilities {
                app.retainedCapabilities = try CapabilityPolicy(isolators: definition.isolators, app: name).retained
            }
            if !options.disableSeccomp {
                app.seccompFilter = try SeccompPolicy.make(isolators: definition.isolators, app: name)?.bpfProgram()
            }
            app.mounts = try runtimeApp.mounts.map { mount in
                guard let volume = mount.appVolume ?? manifest.volumes.first(where: { $0.name == mount.volume }) else {
                    throw KvmError("app \(name): mount at \(mount.path) names volume \(mount.volume.value), which the pod does not define")
                }
                let mountPointReadOnly = definition.mountPoints.first { $0.name == mount.volume }?.readOnly ?? false
                return GuestAppMount(volume: volume.name.value, target: mount.path, readOnly: volume.readOnly ?? mountPointReadOnly)
            }
            apps.append(app)
        }

        var volumes: [GuestVolume] = []
        let used = Set(apps.flatMap { $0.mounts.map(\.volume) })
        let declared = manifest.volumes + manifest.apps.flatMap { $0.mounts.compactMap(\.appVolume) }
        for volume in declared where used.contains(volume.name.value) && !volumes.contains(where: { $0.name == volume.name.value }) {
            switch volume.kind {
            case .empty:
                volumes.append(GuestVolume(name: volume.name.value, source: .empty))
            case .host:
                let index = disks.count
                let readOnly = volume.readOnly ?? false
                disks.append(VMDisk(path: sources.volumeDisk(volume.name.value), readOnly: readOnly))
                hostVolumes.append((index, volume))
                volumes.append(GuestVolume(name: volume.name.value, source: .disk(index), readOnly: readOnly))
            }
        }
        guard disks.count <= GuestDisks.maximumCount else {
            throw KvmError("the pod needs \(disks.count) disks; the kvm flavor attaches at most \(GuestDisks.maximumCount)")
        }

        config = GuestPodConfig(diskCount: disks.count, hostname: options.hostname ?? "rkt-" + options.uuid)
        config.volumes = volumes
        config.apps = apps
        size = VMSize(apps: definitions, hostCPUs: hostCPUs)
    }
}
