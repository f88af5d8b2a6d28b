import CKvmPod
import CLinux
import Glibc
import GuestProtocol
import LinuxSupport

/// Gives the VM's interfaces the addresses and routes of the pod's networks with the classic IPv4 ioctls
/// (SIOCSIFADDR, SIOCSIFNETMASK, SIOCSIFFLAGS, SIOCADDRT): a handful of system calls, no helper program.
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
            for route in interface.routes {
                try addRoute(fd, interface.name, route)
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

    private static func addRoute(_ fd: Int32, _ name: String, _ route: GuestInterface.Route) throws {
        guard let destination = GuestInterface.ipv4(route.destination), let gateway = GuestInterface.ipv4(route.gateway) else { return }
        var entry = rtentry()
        entry.rt_dst = socketAddress(destination)
        entry.rt_gateway = socketAddress(gateway)
        entry.rt_genmask = socketAddress(GuestInterface.netmask(route.prefixLength))
        entry.rt_flags = UInt16(RTF_UP | RTF_GATEWAY)
        let device = strdup(name)
        defer { free(device) }
        entry.rt_dev = device
        guard clinux_ioctl_ptr(fd, UInt(SIOCADDRT), &entry) == 0 else {
            throw SystemError.current("add route \(route.destination)/\(route.prefixLength) via \(route.gateway) on \(name)")
        }
    }
}
