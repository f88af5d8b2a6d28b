import AppC

/// How big the pod's VM is, as rkt's kvm flavor sizes it: the apps' memory limits added up plus a fixed
/// overhead for the guest kernel and GuestInit, and as many vCPUs as the largest CPU limit asks for. Without
/// limits the VM stays small: on hosts that emulate guest kernel code every MiB costs boot time.
struct VMSize: Equatable {
    var memoryMiB: Int
    var cpus: Int

    static let overheadMiB = 64
    static let defaultMemoryMiB = 128
    static let maximumMemoryMiB = 64 * 1024

    init(memoryMiB: Int, cpus: Int) {
        self.memoryMiB = memoryMiB
        self.cpus = cpus
    }

    init(apps: [App], hostCPUs: Int) {
        let limits = apps.compactMap { $0.isolators.memoryLimitBytes }
        if limits.isEmpty {
            memoryMiB = Self.defaultMemoryMiB
        } else {
            let bytes = limits.reduce(Int64(0)) { $0 + max($1, 0) }
            let mebibytes = Int(min((bytes + (1 << 20) - 1) >> 20, Int64(Self.maximumMemoryMiB)))
            memoryMiB = min(max(mebibytes + Self.overheadMiB, Self.defaultMemoryMiB), Self.maximumMemoryMiB)
        }
        let millicores = apps.compactMap { $0.isolators.cpuLimitMillicores }.max() ?? 1000
        cpus = min(max(Int((millicores + 999) / 1000), 1), max(hostCPUs, 1))
    }
}
