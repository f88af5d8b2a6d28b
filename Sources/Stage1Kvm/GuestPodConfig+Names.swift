import CNI
import GuestProtocol
import Pods

/// Name resolution for the guest, as in the namespace flavor: stage0's files for `--dns…` and `--hosts-entry`
/// (`stage1/rootfs/etc/rkt-resolv.conf`, `rkt-hosts`) first, else the DNS the CNI networks returned.
extension GuestPodConfig {
    mutating func applyNames(stage1Rootfs: String, networkDNS: CNIResult.DNS?) throws {
        if let resolv = try SmallFile.read(stage1Rootfs + DNSConfiguration.resolvConfPath) {
            applyResolvConf(resolv)
        } else if let dns = networkDNS {
            dnsServers = dns.nameservers ?? []
            dnsSearch = (dns.search ?? []).isEmpty ? (dns.domain.map { [$0] } ?? []) : dns.search ?? []
            dnsOptions = dns.options ?? []
        }
        if let hosts = try SmallFile.read(stage1Rootfs + DNSConfiguration.hostsPath) {
            hostsEntries += Self.words(of: hosts).filter { $0.count >= 2 }
        }
    }

    /// `nameserver`, `search`/`domain` and `options` lines of a resolv.conf.
    mutating func applyResolvConf(_ text: String) {
        for line in Self.words(of: text) {
            switch line[0] {
            case "nameserver": dnsServers += line.dropFirst().prefix(1)
            case "search", "domain": dnsSearch += line.dropFirst()
            case "options": dnsOptions += line.dropFirst()
            default: break
            }
        }
    }

    /// Non-comment lines split into words.
    private static func words(of text: String) -> [[String]] {
        text.split(separator: "\n").compactMap { line in
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            return words.isEmpty ? nil : words
        }
    }
}
