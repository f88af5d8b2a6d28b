/// rkt's `--dns`, `--dns-search`, `--dns-opt`, `--dns-domain` and `--hosts-entry` flags, as the files stage0
/// hands the stage1 (rkt's `stage1/rootfs/etc/rkt-resolv.conf` and `rkt-hosts`). `--dns=host` and
/// `--hosts-entry=host` take the host's own file instead; `--dns=none` writes an empty resolv.conf.
public struct DNSConfiguration: Equatable, Sendable {
    public var servers: [String] = []
    public var search: [String] = []
    public var options: [String] = []
    public var domain: String?
    public var hostsEntries: [(address: String, names: [String])] = []
    public var useHostResolvConf = false
    public var useHostHosts = false
    public var noResolvConf = false

    public static let resolvConfPath = "/etc/rkt-resolv.conf"
    public static let hostsPath = "/etc/rkt-hosts"

    public init() {}

    public init(dns: [String], search: [String], options: [String], domain: String?, hostsEntries: [String]) throws {
        for server in dns {
            switch server {
            case "host": useHostResolvConf = true
            case "none": noResolvConf = true
            default:
                guard Self.isAddress(server) else { throw RunArgumentError("--dns \(server.debugDescription): not an IP address (or host, none)") }
                servers.append(server)
            }
        }
        if (useHostResolvConf || noResolvConf) && dns.count > 1 {
            throw RunArgumentError("--dns=host and --dns=none cannot be combined with other --dns values")
        }
        for item in search + options + (domain.map { [$0] } ?? []) where item.isEmpty || item.contains(where: { $0.isWhitespace }) {
            throw RunArgumentError("DNS setting \(item.debugDescription) must be one word")
        }
        self.search = search
        self.options = options
        self.domain = domain
        for entry in hostsEntries {
            if entry == "host" { useHostHosts = true; continue }
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, Self.isAddress(parts[0]) else {
                throw RunArgumentError("--hosts-entry \(entry.debugDescription): expected IP=HOSTNAME[,HOSTNAME…] or host")
            }
            let names = parts[1].split(separator: ",").map(String.init)
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty && !$0.contains(where: { $0.isWhitespace || $0 == "#" }) }) else {
                throw RunArgumentError("--hosts-entry \(entry.debugDescription): bad host name")
            }
            self.hostsEntries.append((parts[0], names))
        }
    }

    public static func == (left: DNSConfiguration, right: DNSConfiguration) -> Bool {
        left.servers == right.servers && left.search == right.search && left.options == right.options
            && left.domain == right.domain && left.useHostResolvConf == right.useHostResolvConf
            && left.useHostHosts == right.useHostHosts && left.noResolvConf == right.noResolvConf
            && left.hostsEntries.map { $0.address + " " + $0.names.joined(separator: " ") }
                == right.hostsEntries.map { $0.address + " " + $0.names.joined(separator: " ") }
    }

    /// The resolv.conf to hand the stage1, nil to leave the choice to it. `hostFile` is the host's text.
    public func resolvConf(hostFile: () -> String?) -> String? {
        if useHostResolvConf { return hostFile() ?? "" }
        if noResolvConf { return "" }
        guard !servers.isEmpty || !search.isEmpty || !options.isEmpty || domain != nil else { return nil }
        var lines = servers.map { "nameserver " + $0 }
        if let domain { lines.append("domain " + domain) }
        if !search.isEmpty { lines.append("search " + search.joined(separator: " ")) }
        if !options.isEmpty { lines.append("options " + options.joined(separator: " ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Extra /etc/hosts lines for the stage1 (it adds localhost and the pod's hostname itself), nil for none.
    public func hosts(hostFile: () -> String?) -> String? {
        if useHostHosts { return hostFile() ?? "" }
        guard !hostsEntries.isEmpty else { return nil }
        return hostsEntries.map { $0.address + "\t" + $0.names.joined(separator: " ") + "\n" }.joined()
    }

    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return true }
        return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
