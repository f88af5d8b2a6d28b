import CKvmPod
import CLinux
import Glibc
import GuestProtocol
import LinuxSupport

/// Gives the VM's interfaces the addresses and routes of the pod's networks with the classic IPv4 ioctls
/// (SIOCSIFADDR, SIOCSIFNETMASK, SIOCSIFFLAGS, SIOCADDRT, SIOCDELRT): a handful of system calls, no helper
/// program. The routes are exactly the host's list: a route with gateway 0.0.0.0 is a link route, and the
/// prefix route the kernel adds for the address is removed when the list does not have it (CNI's ptp plugin
/// removes it too: its peers are reached through the gateway, not on the link).
enum InterfaceConfigurator {
    static func configure(_ interfaces: [GuestInterface]) throws {
        guard !interfaces.isEmpty else { return }
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError.current("socket for interface set-up") }
        defer { close(fd) }
        for interface in interfaces {
            guard let address = GuestInterface.ipv4(interface.address) else { continue }
            try setAddress(fd, interface.name, SIOCSIFADDR, address)
            try setAddress(fd, interface.name, SIOCSIFNETMASK, GuestInterface.netmask(interface.prefixLength))
            var request = try interfaceRequest(interface.name)
            guard clinux_ioctl_ptr(fd, UInt(SIOCGIFFLAGS), &request) == 0 else { throw SystemError.current("SIOCGIFFLAGS \(interface.name)") }
            request.ifr_ifru.ifru_flags |= Int16(IFF_UP)
            guard clinux_ioctl_ptr(fd, UInt(SIOCSIFFLAGS), &request) == 0 else { throw SystemError.current("SIOCSIFFLAGS \(interface.name)") }
            let prefixRoute = GuestInterface.Route(destination: GuestInterface.network(of: address, prefixLength: interface.prefixLength),
                                                   prefixLength: interface.prefixLength, gateway: "0.0.0.0")
            if interface.prefixLength < 32 && !interface.routes.contains(prefixRoute) {
                try changeRoute(fd, interface.name, prefixRoute, request: SIOCDELRT, ignoring: ESRCH)
            }
            for route in interface.routes where route != prefixRoute {
                try changeRoute(fd, interface.name, route, request: SIOCADDRT, ignoring: EEXIST)
            }
        }
    }

    private static func interfaceRequest(_ name: String) throws -> ifreq {
        var request = ifreq()
        let bytes = Array(name.utf8)
        guard bytes.count < 16 else { throw SystemError(errno: EINVAL, operation: "interface name", path: name) }
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { $0.copyBytes(from: bytes) }
        return request
    }

    private static func socketAddress(_ address: [UInt8]) -> sockaddr {
        var inet = sockaddr_in()
        inet.sin_family = sa_family_t(AF_INET)
        withUnsafeMutableBytes(of: &inet.sin_addr) { $0.copyBytes(from: address) }
        return withUnsafeBytes(of: inet) { $0.load(as: sockaddr.self) }
    }

    private static func setAddress(_ fd: Int32, _ name: String, _ request: Int32, _ address: [UInt8]) throws {
        var interfaceRequest = try interfaceRequest(name)
        interfaceRequest.ifr_ifru.ifru_addr = socketAddress(address)
        guard clinux_ioctl_ptr(fd, UInt(request), &interfaceRequest) == 0 else {
            throw SystemError.current("set address \(address.map(String.init).joined(separator: ".")) on \(name)")
        }
    }

    /// Adds or deletes (`request`) a route on `name`; a gateway of 0.0.0.0 makes it a link route.
    private static func changeRoute(_ fd: Int32, _ name: String, _ route: GuestInterface.Route, request: Int32,
                                    ignoring tolerated: Int32) throws {
        guard let destination = GuestInterface.ipv4(route.destination), let gateway = GuestInterface.ipv4(route.gateway) else { return }
        var entry = rtentry()
        entry.rt_dst = socketAddress(destination)
        entry.rt_genmask = socketAddress(GuestInterface.netmask(route.prefixLength))
        entry.rt_flags = UInt16(RTF_UP) | (route.prefixLength == 32 ? UInt16(RTF_HOST) : 0)
        if gateway != [0, 0, 0, 0] {
            entry.rt_gateway = socketAddress(gateway)
            entry.rt_flags |= UInt16(RTF_GATEWAY)
        }
        let device = strdup(name)
        defer { free(device) }
        entry.rt_dev = device
        guard clinux_ioctl_ptr(fd, UInt(request), &entry) == 0 || errno == tolerated else {
            let verb = request == SIOCADDRT ? "add" : "delete"
            throw SystemError.current("\(verb) route \(route.destination)/\(route.prefixLength) via \(route.gateway) on \(name)")
        }
    }
}
