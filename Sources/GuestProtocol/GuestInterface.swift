/// A guest network interface as the host's CNI result describes it: an IPv4 address with its prefix length
/// and the routes through it. GuestInit configures it in-process (ioctl), before any app starts.
public struct GuestInterface: Equatable, Sendable {
    public struct Route: Equatable, Sendable {
        /// Destination network (`0.0.0.0` with prefix 0 is the default route).
        public var destination: String
        public var prefixLength: Int
        public var gateway: String

        public init(destination: String, prefixLength: Int, gateway: String) {
            self.destination = destination
            self.prefixLength = prefixLength
            self.gateway = gateway
        }
    }

    /// eth0, eth1, … in the order of the VM's virtio-net devices.
    public var name: String
    public var address: String
    public var prefixLength: Int
    public var routes: [Route] = []

    public init(name: String, address: String, prefixLength: Int) {
        self.name = name
        self.address = address
        self.prefixLength = prefixLength
    }

    /// The four bytes of a dotted-quad IPv4 address, or nil.
    public static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// The netmask of a prefix length (0…32) as four bytes.
    public static func netmask(_ prefixLength: Int) -> [UInt8] {
        let mask: UInt32 = prefixLength <= 0 ? 0 : ~UInt32(0) << UInt32(32 - min(prefixLength, 32))
        return [UInt8(mask >> 24), UInt8((mask >> 16) & 0xff), UInt8((mask >> 8) & 0xff), UInt8(mask & 0xff)]
    }

    /// The network address of `address` (four bytes) under a prefix length, dotted.
    public static func network(of address: [UInt8], prefixLength: Int) -> String {
        zip(address, netmask(prefixLength)).map { String($0 & $1) }.joined(separator: ".")
    }

    /// `ADDRESS/PREFIX` split and checked (prefix 0…32).
    static func cidr(_ text: String) -> (address: String, prefix: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, ipv4(String(parts[0])) != nil, let prefix = Int(parts[1]), (0...32).contains(prefix) else { return nil }
        return (String(parts[0]), prefix)
    }
}
