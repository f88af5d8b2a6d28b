import Foundation

/// What a plugin's ADD printed, in the current (0.3.0 … 1.0.0) shape: interfaces, IP configurations, routes
/// and DNS. A 0.1/0.2 result (`ip4`/`ip6` objects) is converted on parsing. The raw text is kept: it is the
/// `prevResult` of the next plugin in a chain and of DEL.
public struct CNIResult: Codable, Equatable, Sendable {
    public struct Interface: Codable, Equatable, Sendable {
        public var name: String
        public var mac: String?
        public var sandbox: String?
    }

    public struct IPConfig: Codable, Equatable, Sendable {
        /// CIDR form, `172.16.28.5/24`.
        public var address: String
        public var gateway: String?
        /// Index into `interfaces`.
        public var interface: Int?
        public var version: String?

        /// The address without its prefix length.
        public var ip: String { String(address.split(separator: "/").first ?? "") }
        public var isIPv4: Bool { ip.contains(".") }
        /// The dotted netmask of an IPv4 address, from its prefix length.
        public var mask: String? {
            guard isIPv4, let text = address.split(separator: "/").dropFirst().first, let bits = Int(text), (0...32).contains(bits) else { return nil }
            let value: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - UInt32(bits))
            return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xff) }.joined(separator: ".")
        }
    }

    public struct Route: Codable, Equatable, Sendable {
        public var dst: String
        public var gw: String?
    }

    public struct DNS: Codable, Equatable, Sendable {
        public var nameservers: [String]?
        public var domain: String?
        public var search: [String]?
        public var options: [String]?

        public var isEmpty: Bool { (nameservers ?? []).isEmpty }

        /// The resolv.conf text for this DNS configuration.
        public var resolvConf: String {
            var lines: [String] = []
            if let domain, !domain.isEmpty { lines.append("domain \(domain)") }
            if let search, !search.isEmpty { lines.append("search " + search.joined(separator: " ")) }
            for server in nameservers ?? [] { lines.append("nameserver \(server)") }
            if let options, !options.isEmpty { lines.append("options " + options.joined(separator: " ")) }
            return lines.map { $0 + "\n" }.joined()
        }
    }

    public var cniVersion: String?
    public var interfaces: [Interface]
    public var ips: [IPConfig]
    public var routes: [Route]
    public var dns: DNS?

    public init(cniVersion: String? = nil, interfaces: [Interface] = [], ips: [IPConfig] = [], routes: [Route] = [], dns: DNS? = nil) {
        self.cniVersion = cniVersion
        self.interfaces = interfaces
        self.ips = ips
        self.routes = routes
        self.dns = dns
    }

    /// The largest result read from a plugin.
    public static let maximumSize = 1 << 20

    private struct Wire: Decodable {
        struct LegacyIP: Decodable {
            var ip: String
            var gateway: String?
            var routes: [Route]?
        }
        var cniVersion: String?
        var interfaces: [Interface]?
        var ips: [IPConfig]?
        var routes: [Route]?
        var dns: DNS?
        var ip4: LegacyIP?
        var ip6: LegacyIP?
    }

    public init(json data: Data, plugin: String) throws {
        guard data.count <= Self.maximumSize else { throw CNIError("plugin \(plugin): result larger than \(Self.maximumSize) bytes") }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: data)
        } catch {
            throw CNIError("plugin \(plugin): result is not a CNI result: \(Self.describe(error))")
        }
        var ips = wire.ips ?? []
        var routes = wire.routes ?? []
        for legacy in [wire.ip4, wire.ip6].compactMap({ $0 }) {
            ips.append(IPConfig(address: legacy.ip, gateway: legacy.gateway, interface: nil, version: nil))
            routes += legacy.routes ?? []
        }
        let interfaces = wire.interfaces ?? []
        for ip in ips {
            guard ip.address.contains("/"), !ip.ip.isEmpty else { throw CNIError("plugin \(plugin): result address \(ip.address.debugDescription) is not in CIDR form") }
            if let index = ip.interface, !interfaces.indices.contains(index) {
                throw CNIError("plugin \(plugin): result names interface \(index) of \(interfaces.count)")
            }
        }
        self.init(cniVersion: wire.cniVersion, interfaces: interfaces, ips: ips, routes: routes, dns: wire.dns)
    }

    /// The first IPv4 configuration on an interface inside the pod (the sandbox), else the first IPv4 one.
    public var podIPv4: IPConfig? {
        let inSandbox = ips.first { ip in
            ip.isIPv4 && ip.interface.map { interfaces[$0].sandbox != nil } == true
        }
        return inSandbox ?? ips.first { $0.isIPv4 }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
