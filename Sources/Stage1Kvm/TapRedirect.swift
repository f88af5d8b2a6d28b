import CLinux
import Glibc
import LinuxSupport

/// Joins a CNI interface of the pod's network namespace to the VM the way Kata Containers' "tc redirect" mode
/// does: a persistent tap in the same namespace, and two tc ingress filters that hand every frame arriving
/// on one device to the other (mirred egress redirect). The veth keeps its address, so CNI and its DEL see
/// what they set up; the namespace's own stack never sees the traffic. The VMM attaches to the tap by name.
struct TapRedirect {
    let veth: String
    let tap: String

    static let tunSetInterface: UInt = 0x4004_54ca   // TUNSETIFF = _IOW('T', 202, int)
    static let tunSetPersist: UInt = 0x4004_54cb     // TUNSETPERSIST = _IOW('T', 203, int)
    static let interfaceTap: Int16 = 0x0002          // IFF_TAP
    static let interfaceNoPacketInfo: Int16 = 0x1000 // IFF_NO_PI

    /// Creates the tap with the veth's MTU, brings it up and installs the redirects, in the calling thread's
    /// network namespace. Everything it makes lives in that namespace and goes with it.
    func install(mtu: Int) throws {
        try createPersistentTap()
        let device = try NetnsInterface(tap)
        try device.setMTU(mtu)
        try device.bringUp()
        for (from, to) in [(veth, tap), (tap, veth)] {
            try tc(["qdisc", "add", "dev", from, "ingress"])
            try tc(["filter", "add", "dev", from, "parent", "ffff:", "protocol", "all", "u32", "match", "u32", "0", "0",
                    "action", "mirred", "egress", "redirect", "dev", to])
        }
    }

    private func createPersistentTap() throws {
        let fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open", path: "/dev/net/tun") }
        defer { close(fd) }
        // struct ifreq: 16 name bytes, then the flags (a short) at the start of the union.
        var request = [UInt8](repeating: 0, count: 40)
        request.replaceSubrange(0..<tap.utf8.count, with: Array(tap.utf8))
        let flags = UInt16(bitPattern: Self.interfaceTap | Self.interfaceNoPacketInfo)
        request[16] = UInt8(flags & 0xff)
        request[17] = UInt8(flags >> 8)
        guard clinux_ioctl_ptr(fd, Self.tunSetInterface, &request) == 0 else { throw SystemError.current("create tap (TUNSETIFF)", path: tap) }
        guard clinux_ioctl_val(fd, Self.tunSetPersist, 1) == 0 else { throw SystemError.current("make tap persistent (TUNSETPERSIST)", path: tap) }
    }

    private func tc(_ arguments: [String]) throws {
        do {
            try HostTool.run("tc", arguments, package: "iproute2")
        } catch {
            throw KvmError("joining \(veth) to \(tap): tc \(arguments.joined(separator: " ")): \(error)")
        }
    }
}
