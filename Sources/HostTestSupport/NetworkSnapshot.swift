import Foundation

/// What pods' networks may leave behind in a sandbox: interfaces, routes, iptables rules (nat and filter) and
/// CNI host-local IPAM leases. `rules` leaves out, by name, what a plugin keeps on purpose: see `keptByDesign`.
public struct NetworkSnapshot: Equatable, Sendable {
    public var interfaces: [String]
    public var routes: [String]
    public var rules: [String]
    public var leases: [String]

    public static let leaseDirectory = "/var/lib/cni/networks"

    /// The CNI portmap plugin's shared chains: created by the first pod that forwards a port, with their jumps
    /// from the built-in chains and their fixed mark/masquerade rules, and kept on DEL by design (they serve
    /// every later pod). A pod's own rules inside them (`-A CNI-HOSTPORT-DNAT … -j CNI-DN-…`, tagged with the
    /// pod's ID) are not exempt: they must go with the pod.
    public static let portmapSharedChains = ["CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-SETMARK", "CNI-HOSTPORT-MASQ"]

    /// Whether an `iptables -S` line (prefixed with its table) is one of portmap's shared chain definitions, a
    /// jump into one from a built-in chain, or a rule of SETMARK/MASQ (which hold no per-pod rules).
    public static func keptByDesign(_ rule: String) -> Bool {
        let fields = rule.split(separator: " ").map(String.init)
        guard fields.count >= 3 else { return false }
        let (verb, chain) = (fields[1], fields[2])
        if verb == "-N" { return portmapSharedChains.contains(chain) }
        guard verb == "-A" else { return false }
        if chain == "CNI-HOSTPORT-SETMARK" || chain == "CNI-HOSTPORT-MASQ" { return true }
        let builtin = ["PREROUTING", "OUTPUT", "POSTROUTING", "INPUT", "FORWARD"].contains(chain)
        guard builtin, let jump = fields.firstIndex(of: "-j"), jump + 1 < fields.count else { return false }
        return portmapSharedChains.contains(fields[jump + 1])
    }

    /// The sandbox's state now.
    public static func take(in sandbox: HostSandbox) throws -> NetworkSnapshot {
        let links = try sandbox.run(HostSandbox.ip, ["-o", "link", "show"]).output.split(separator: "\n").compactMap { line in
            line.split(separator: ":").dropFirst().first.map { String($0.trimmingCharacters(in: .whitespaces).split(separator: "@")[0]) }
        }
        let routes = try sandbox.run(HostSandbox.ip, ["route", "show", "table", "all"]).output.split(separator: "\n").map(String.init)
        var rules: [String] = []
        for table in ["nat", "filter"] {
            let listed = try sandbox.run("/usr/sbin/iptables", ["-t", table, "-S"])
            guard listed.status == 0 else { throw HostSandbox.Unavailable(reason: "iptables -t \(table) -S failed in the sandbox") }
            rules += listed.output.split(separator: "\n").map { "\(table) \($0)" }.filter { !keptByDesign($0) }
        }
        return NetworkSnapshot(interfaces: links.sorted(), routes: routes.sorted(), rules: rules.sorted(), leases: leases(in: sandbox))
    }

    /// Leases as `NETWORK/ADDRESS`, without host-local's bookkeeping files (`lock`, `last_reserved_ip.N`).
    public static func leases(in sandbox: HostSandbox) -> [String] {
        let directory = sandbox.insidePath(leaseDirectory)
        var found: [String] = []
        for network in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + network)) ?? []
                where name != "lock" && !name.hasPrefix("last_reserved_ip") {
                found.append(network + "/" + name)
            }
        }
        return found.sorted()
    }

    /// Rules that name the pod (the plugins tag theirs with `id: "UUID"`).
    public func rules(of uuid: String) -> [String] { rules.filter { $0.contains(uuid) } }
}
