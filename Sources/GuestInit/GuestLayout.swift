import GuestProtocol

/// Where GuestInit mounts things in the guest. The stage1 root (vda) is read-only, so everything lives on a
/// tmpfs at /run: the scratch disk, one mount per image disk, and each app's assembled root.
enum GuestLayout {
    static let run = "/run"
    static let scratch = "/run/scratch"
    static func image(disk: Int) -> String { "/run/images/\(disk)" }
    static func volumeDisk(_ name: String) -> String { "/run/volume-disks/" + name }
    static func appRoot(_ app: String) -> String { "/run/apps/" + app }
    static func appUpper(_ app: String) -> String { scratch + "/apps/" + app + "/upper" }
    static func appWork(_ app: String) -> String { scratch + "/apps/" + app + "/work" }
    static func emptyVolume(_ name: String) -> String { scratch + "/volumes/" + name }
    /// Where a read-only bind is made read-only before it is bound into an app's root (GuestFiles.bind).
    static let readOnlyStaging = "/run/read-only-bind"
    static func device(_ index: Int) -> String { "/dev/" + GuestDisks.deviceName(index: index) }
}
