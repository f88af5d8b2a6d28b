/// The pod as GuestInit sees it, written by the host's stage1 onto the config disk (`GuestDisks.config`) as
/// `GuestRecordLine` lines:
///
///     rkt-guest-config 1
///     disks 5
///     hostname rkt-4f0c…
///     dns-server 10.0.0.1 | dns-search example.com | dns-option ndots:2 | hosts-entry 10.0.0.2 db db.local
///     volume data empty | volume logs disk 4 | volume conf disk 5 ro
///     interface eth0 172.16.28.5/24
///     route 0.0.0.0/0 172.16.28.1  (routes through the interface above)
///     app web 3
///     exec /bin/httpd httpd -f    (program, then argv; then, for that app: env K=V, user UID GID, groups G…, cwd PATH,
///                                  readonly-rootfs, mount VOLUME TARGET ro|rw, caps N…,
///                                  seccomp-bpf HEX)
///     end
///
/// The guest trusts none of it blindly: `init(text:)` checks names, paths, disk indices and counts.
public struct GuestPodConfig: Equatable, Sendable {
    public static let magic = "rkt-guest-config"
    public static let version = "1"
    public static let maximumApps = 64

    public var diskCount: Int
    public var hostname: String
    public var dnsServers: [String] = []
    public var dnsSearch: [String] = []
    public var dnsOptions: [String] = []
    /// Each entry: an address followed by its names.
    public var hostsEntries: [[String]] = []
    public var volumes: [GuestVolume] = []
    /// The VM's network interfaces (its virtio-net devices, in order).
    public var interfaces: [GuestInterface] = []
    public var apps: [GuestApp] = []

    public init(diskCount: Int, hostname: String) {
        self.diskCount = diskCount
        self.hostname = hostname
    }

    public func encoded() -> String {
        var lines: [[String]] = [[Self.magic, Self.version], ["disks", String(diskCount)], ["hostname", hostname]]
        lines += dnsServers.map { ["dns-server", $0] }
        lines += dnsSearch.map { ["dns-search", $0] }
        lines += dnsOptions.map { ["dns-option", $0] }
        lines += hostsEntries.map { ["hosts-entry"] + $0 }
        for volume in volumes {
            switch volume.source {
            case .empty: lines.append(["volume", volume.name, "empty"])
            case .disk(let index): lines.append(["volume", volume.name, "disk", String(index)] + (volume.readOnly ? ["ro"] : []))
            }
        }
        for interface in interfaces {
            lines.append(["interface", interface.name, "\(interface.address)/\(interface.prefixLength)"])
            lines += interface.routes.map { ["route", "\($0.destination)/\($0.prefixLength)", $0.gateway] }
        }
        for app in apps {
            lines.append(["app", app.name, String(app.imageDisk)])
            lines.append(["exec", app.program] + app.arguments)
            lines += app.environment.map { ["env", $0] }
            lines.append(["user", String(app.uid), String(app.gid)])
            if !app.supplementaryGIDs.isEmpty { lines.append(["groups"] + app.supplementaryGIDs.map { String($0) }) }
            lines.append(["cwd", app.workingDirectory])
            if app.readOnlyRootfs { lines.append(["readonly-rootfs"]) }
            lines += app.mounts.map { ["mount", $0.volume, $0.target, $0.readOnly ? "ro" : "rw"] }
            if let capabilities = app.retainedCapabilities { lines.append(["caps"] + capabilities.map { String($0) }) }
            if let filter = app.seccompFilter { lines.append(["seccomp-bpf", GuestHex.encode(filter)]) }
        }
        lines.append(["end"])
        return lines.map { GuestRecordLine.encode($0) + "\n" }.joined()
    }

    /// Parses and validates the config text (bytes up to the first NUL of the config disk).
    public init(text: some Collection<UInt8>) throws(GuestProtocolError) {
        guard text.count <= GuestDisks.maximumConfigSize else { throw .malformed("config larger than 1 MiB") }
        var parser = GuestConfigParser()
        var lineNumber = 0
        var line: [UInt8] = []
        var ended = false
        for byte in text {
            guard byte == 0x0A else { line.append(byte); continue }
            lineNumber += 1
            guard !ended else { throw .invalid(line: lineNumber, "text after `end`") }
            do {
                ended = try parser.take(GuestRecordLine.decode(line))
            } catch {
                if case .invalid = error { throw error }
                throw .invalid(line: lineNumber, error.description)
            }
            line.removeAll(keepingCapacity: true)
        }
        guard line.isEmpty else { throw .malformed("config does not end with a newline") }
        guard ended else { throw .malformed("config has no `end` line (truncated?)") }
        self = try parser.finish()
    }
}
