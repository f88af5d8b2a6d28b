import Glibc

/// Whether this host can run the kvm flavor at all.
enum KvmHost {
    static func checkUsable(device: String = "/dev/kvm") throws {
        let fd = open(device, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw KvmError("\(device): \(reason); the kvm flavor needs KVM. Without it, run the pod with " +
                           "--stage1-name=coreos.com/rkt/stage1-coreos (namespaces and cgroups) or " +
                           "--stage1-name=coreos.com/rkt/stage1-fly (chroot only, no isolation)")
        }
        close(fd)
    }
}
