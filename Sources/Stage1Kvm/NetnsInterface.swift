import CKvmPod
import CLinux
import Glibc
import GuestProtocol
import LinuxSupport

/// A network interface of the pod's network namespace (a CNI plugin's veth, or the tap joined to it), read and
/// set with the classic interface ioctls from a socket of the calling thread's namespace.
struct NetnsInterface {
    let name: String

    init(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count < 16, !name.contains("/") else {
            throw KvmError("bad network interface name \(name.debugDescription)")
        }
        self.name = name
    }

    /// The hardware address (SIOCGIFHWADDR).
    func macAddress() throws -> [UInt8] {
        var request = try self.request(SIOCGIFHWADDR, "read the MAC address of")
        return withUnsafeBytes(of: &request.ifr_ifru.ifru_hwaddr.sa_data) { Array($0.prefix(6)) }
    }

    /// The IPv4 address and its prefix length (SIOCGIFADDR, SIOCGIFNETMASK); nil when it has none.
    func ipv4Address() throws -> (address: String, prefixLength: Int)? {
        var request = try blankRequest()
        guard try withSocket({ clinux_ioctl_ptr($0, UInt(SIOCGIFADDR), &request) }) == 0 else {
            if errno == EADDRNOTAVAIL { return nil }
            throw SystemError.current("read the IPv4 address of", path: name)
        }
        let address = Self.inetBytes(request.ifr_ifru.ifru_addr)
        let mask = Self.inetBytes(try self.request(SIOCGIFNETMASK, "read the netmask of").ifr_ifru.ifru_netmask)
        let prefix = mask.reduce(0) { $0 + $1.nonzeroBitCount }
        return (address.map(String.init).joined(separator: "."), prefix)
    }

    func mtu() throws -> Int {
        Int(try request(SIOCGIFMTU, "read the MTU of").ifr_ifru.ifru_mtu)
    }

    func setMTU(_ mtu: Int) throws {
        var request = try blankRequest()
        request.ifr_ifru.ifru_mtu = Int32(mtu)
        guard try withSocket({ clinux_ioctl_ptr($0, UInt(SIOCSIFMTU), &request) }) == 0 else {
            throw SystemError.current("set MTU \(mtu) on", path: name)
        }
    }

    func bringUp() throws {
        var request = try self.request(SIOCGIFFLAGS, "read the flags of")
        request.ifr_ifru.ifru_flags |= Int16(IFF_UP)
        guard try withSocket({ clinux_ioctl_ptr($0, UInt(SIOCSIFFLAGS), &request) }) == 0 else {
            throw SystemError.current("bring up", path: name)
        }
    }

    /// `aa:bb:cc:dd:ee:ff`.
    static func macText(_ mac: [UInt8]) -> String {
        mac.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: ":")
    }

    private func blankRequest() throws -> ifreq {
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { $0.copyBytes(from: Array(name.utf8)) }
        return request
    }

    private func request(_ number: Int32, _ what: String) throws -> ifreq {
        var request = try blankRequest()
        guard try withSocket({ clinux_ioctl_ptr($0, UInt(number), &request) }) == 0 else {
            throw SystemError.current(what, path: name)
        }
        return request
    }

    /// Runs `body` on a fresh AF_INET socket; errno is body's when it returns.
    private func withSocket(_ body: (Int32) -> Int32) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError.current("socket for interface ioctls") }
        let result = body(fd)
        let saved = errno
        close(fd)
        errno = saved
        return result
    }

    private static func inetBytes(_ address: sockaddr) -> [UInt8] {
        withUnsafeBytes(of: address) { raw in
            Array(raw[4..<8])  // sockaddr_in: family (2), port (2), address (4)
        }
    }
}
