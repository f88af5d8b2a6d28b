/// The files inside one pod directory. Names follow rkt's stage1 contract where one exists: `pod` (the pod
/// manifest), `pid`/`ppid`, `stage1/rootfs`, `stage1/rootfs/opt/stage2/APP/rootfs` and the exit status files
/// `stage1/rootfs/rkt/status/APP`.
public struct PodFiles: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var manifest: String { directory + "/pod" }
    public var pid: String { directory + "/pid" }
    public var ppid: String { directory + "/ppid" }
    /// The store key of the stage1 image, written at prepare time.
    public var stage1ImageKey: String { directory + "/stage1ImageKey" }
    public var stage1: String { directory + "/stage1" }
    public var stage1Rootfs: String { stage1 + "/rootfs" }
    public var stage1Manifest: String { stage1 + "/manifest" }
    public var statusDirectory: String { stage1Rootfs + "/rkt/status" }
    public var appsInfo: String { directory + "/appsinfo" }
    public var overlay: String { directory + "/overlay" }
    public var volumes: String { directory + "/volumes" }
    /// The pod's cgroup path below each hierarchy root (namespace flavor), as in rkt.
    public var subcgroup: String { directory + "/subcgroup" }
    /// Present when the pod was prepared with `--no-overlay`: app roots are copies of their trees.
    public var noOverlayMarker: String { directory + "/no-overlay" }
    /// Per-app output of multi-app pods (namespace flavor): `logs/APP`, read by `rkt logs`.
    public var logs: String { directory + "/logs" }

    public func appStatus(_ app: String) -> String { statusDirectory + "/" + app }
    public func appRootfs(_ app: String) -> String { stage1Rootfs + "/opt/stage2/" + app + "/rootfs" }
    /// The store key of an app's image, written at prepare time.
    public func appImageKey(_ app: String) -> String { appsInfo + "/" + app + "/imageKey" }
    public func overlayUpper(_ name: String) -> String { overlay + "/" + name + "/upper" }
    public func overlayWork(_ name: String) -> String { overlay + "/" + name + "/work" }
    public func emptyVolume(_ name: String) -> String { volumes + "/" + name }
    public func appLog(_ app: String) -> String { logs + "/" + app }
}

extension PodFiles {
    /// The host path of a stage1 entrypoint named in a stage1 annotation (`/fly/run`). The path is kept as
    /// written (its last component may be a link whose name selects the entrypoint) but must stay inside the
    /// stage1 rootfs: absolute, without `.` or `..` components.
    public func stage1Entrypoint(_ annotation: String) throws -> String {
        let components = annotation.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard annotation.hasPrefix("/"), !components.isEmpty,
              components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw PodError.invalidFile(path: stage1Manifest, reason: "entrypoint \(annotation.debugDescription) is not a clean absolute path")
        }
        return stage1Rootfs + annotation
    }
}
