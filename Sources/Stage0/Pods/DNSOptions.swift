import ArgumentParser
import Foundation
import Pods

/// rkt's DNS and hosts flags of `rkt run` and `rkt run-prepared` (applied by the namespace flavor).
struct DNSOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Name server for the pod (repeatable), or host (the host's resolv.conf) or none.", valueName: "IP"))
    var dns: [String] = []

    @Option(help: ArgumentHelp("DNS search domain (repeatable).", valueName: "domain"))
    var dnsSearch: [String] = []

    @Option(help: ArgumentHelp("DNS resolver option (repeatable), e.g. ndots:2.", valueName: "option"))
    var dnsOpt: [String] = []

    @Option(help: ArgumentHelp("The pod's DNS domain.", valueName: "domain"))
    var dnsDomain: String?

    @Option(help: ArgumentHelp("An /etc/hosts entry for the pod (repeatable): IP=HOSTNAME[,HOSTNAME…], or host.", valueName: "entry"))
    var hostsEntry: [String] = []

    func configuration() throws -> DNSConfiguration {
        do {
            return try DNSConfiguration(dns: dns, search: dnsSearch, options: dnsOpt, domain: dnsDomain, hostsEntries: hostsEntry)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }

    /// The files to put in the pod's stage1 rootfs (rkt's `etc/rkt-resolv.conf`, `etc/rkt-hosts`).
    func stage1Files() throws -> [String: String] {
        let configuration = try configuration()
        func host(_ path: String) -> String? { try? SmallFile.read(path, limit: 1 << 20) }
        var files: [String: String] = [:]
        if let resolv = configuration.resolvConf(hostFile: { host("/etc/resolv.conf") }) { files[DNSConfiguration.resolvConfPath] = resolv }
        if let hosts = configuration.hosts(hostFile: { host("/etc/hosts") }) { files[DNSConfiguration.hostsPath] = hosts }
        return files
    }
}
