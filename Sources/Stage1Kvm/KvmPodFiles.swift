import Pods

/// The kvm flavor's files in the pod directory. Paths are relative: every entrypoint runs with the pod
/// directory as its working directory, which keeps Unix socket paths short (108 bytes at most).
struct KvmPodFiles {
    let pod: PodFiles

    static let directory = "kvm"
    let configDisk = "kvm/config.img"
    let scratchDisk = "kvm/scratch.img"
    /// The VMM's hybrid vsock socket (host → guest connections: `CONNECT <port>`).
    let vsock = "kvm/vsock"
    /// Where the VMM connects guest → host streams for `GuestPorts.host`.
    var hostChannel: String { vsock + "_1024" }
    let console = "kvm/console.log"
    /// The VMM's pid from its start; the pod's `pid` file (which `rkt status --wait-ready` and `rkt enter`
    /// wait for) is written only once GuestInit says it is ready.
    let vmmPid = "kvm/vmm.pid"

    func volumeDisk(_ name: String) -> String { "kvm/volume-\(name).img" }

    /// Written by stage0 for the kvm flavor: the path of the app's read-only image disk in the store.
    func appRootDisk(_ app: String) -> String { pod.appsInfo + "/" + app + "/rootDisk" }
}
