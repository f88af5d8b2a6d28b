import LinuxSupport

/// The kvm stage1 image's own files, next to its entrypoint binary in the pod's stage1 rootfs:
/// `/kvm/rkt-vmm`, `/kvm/vmlinux` (the guest kernel) and `/kvm/guest.img` (an erofs disk whose /init is
/// GuestInit).
struct KvmStage1Files {
    let directory: String

    /// The stage1 image annotation asking stage0 for a read-only disk image of each app's tree (value: the
    /// filesystem, `erofs`); stage0 writes its path to `appsinfo/APP/rootDisk`.
    static let rootDiskAnnotation = "rkt.swift/stage1/app-root-disk"

    init(program: String) throws {
        guard let slash = program.lastIndex(of: "/") else {
            throw KvmError("cannot locate the stage1 files: started as \(program) without a directory")
        }
        directory = String(program[..<slash])
    }

    var vmm: String { directory + "/rkt-vmm" }
    var kernel: String { directory + "/vmlinux" }
    var guestRoot: String { directory + "/guest.img" }

    func check() throws {
        for path in [vmm, kernel, guestRoot] where !FileSystem.exists(path) {
            throw KvmError("\(path): missing from the stage1 image (rebuild it with `make stage1-kvm`)")
        }
    }
}
