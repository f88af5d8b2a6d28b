import AppC
import Isolation
import Pods

/// One app of the pod, resolved before anything starts: how to exec it, where its root is, its volumes,
/// its isolators (capabilities, seccomp, cgroup limits) with the `--insecure-options` switches applied.
struct PreparedApp {
    let name: String
    let plan: AppExecPlan
    let rootfs: String
    let readOnlyRootFS: Bool
    let volumes: [AppVolumes.Binding]
    /// nil when capabilities are not restricted (`--insecure-options=capabilities`).
    let capabilities: CapabilityPolicy?
    /// nil when there is no filter (`--insecure-options=seccomp`, or `@appc.io/all`).
    let seccomp: SeccompPolicy?
    let noNewPrivileges: Bool
    /// false with `--insecure-options=paths`: /proc and /sys are then left writable and unmasked.
    let restrictPaths: Bool
    let oomScoreAdjustment: Int?
    let cgroupRequest: CgroupRequest

    init(pod: PodDefinition, app: PodDefinition.App, options: Stage1Arguments) throws {
        name = app.name
        rootfs = pod.rootfs(of: app)
        plan = try AppExecPlan(app: app.definition, appName: name, rootfs: rootfs)
        readOnlyRootFS = app.runtime.readOnlyRootFS
        volumes = try AppVolumes(pod: pod, app: app).bindings()
        let isolators = app.definition.isolators
        capabilities = options.disableCapabilities ? nil : try CapabilityPolicy(isolators: isolators, app: name)
        seccomp = options.disableSeccomp ? nil : try SeccompPolicy.make(isolators: isolators, app: name)
        var noNewPrivileges = true
        var oomScoreAdjustment: Int?
        for isolator in isolators {
            switch isolator.known {
            case let .noNewPrivileges(flag)?: noNewPrivileges = flag || (seccomp != nil && plan.uid != 0)
            case let .oomScoreAdj(value)?: oomScoreAdjustment = value
            default: continue
            }
        }
        self.noNewPrivileges = noNewPrivileges
        restrictPaths = !options.disablePaths
        self.oomScoreAdjustment = oomScoreAdjustment
        cgroupRequest = CgroupRequest(app: name, isolators: isolators)
    }
}
