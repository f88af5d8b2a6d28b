/// Builds a `GuestPodConfig` line by line, checking each line as it comes (`GuestPodConfig.init(text:)`).
struct GuestConfigParser {
    private var config: GuestPodConfig?
    private var sawMagic = false

    /// Returns true at the `end` line.
    mutating func take(_ fields: [String]) throws(GuestProtocolError) -> Bool {
        guard let keyword = fields.first else { throw .malformed("empty line") }
        let values = Array(fields.dropFirst())
        guard sawMagic else {
            guard keyword == GuestPodConfig.magic, values == [GuestPodConfig.version] else {
                throw .malformed("not a \(GuestPodConfig.magic) \(GuestPodConfig.version) config")
            }
            sawMagic = true
            return false
        }
        if keyword == "disks" {
            guard config == nil, values.count == 1, let count = Int(values[0]),
                  count > GuestDisks.scratch, count <= GuestDisks.maximumCount else {
                throw .malformed("disks: expected one count in \(GuestDisks.scratch + 1)...\(GuestDisks.maximumCount), once")
            }
            config = GuestPodConfig(diskCount: count, hostname: "")
            return false
        }
        guard var current = config else { throw .malformed("\(keyword) before `disks`") }
        defer { config = current }
        switch keyword {
        case "hostname":
            guard values.count == 1, GuestNames.isHostname(values[0]) else { throw .malformed("hostname: invalid") }
            current.hostname = values[0]
        case "dns-server", "dns-search", "dns-option":
            guard values.count == 1, GuestNames.isConfigWord(values[0]) else { throw .malformed("\(keyword): one word expected") }
            switch keyword {
            case "dns-server": current.dnsServers.append(values[0])
            case "dns-search": current.dnsSearch.append(values[0])
            default: current.dnsOptions.append(values[0])
            }
        case "hosts-entry":
            guard values.count >= 2, values.allSatisfy(GuestNames.isConfigWord) else {
                throw .malformed("hosts-entry: an address and at least one name expected")
            }
            current.hostsEntries.append(values)
        case "volume":
            try current.volumes.append(volume(values, diskCount: current.diskCount, existing: current.volumes))
        case "interface":
            guard current.apps.isEmpty, values.count == 2, let cidr = GuestInterface.cidr(values[1]),
                  values[0] == "eth\(current.interfaces.count)" else {
                throw .malformed("interface: expected ethN ADDRESS/PREFIX, in order, before the apps")
            }
            guard current.interfaces.count < 16 else { throw .malformed("more than 16 interfaces") }
            current.interfaces.append(GuestInterface(name: values[0], address: cidr.address, prefixLength: cidr.prefix))
        case "route":
            guard current.apps.isEmpty, !current.interfaces.isEmpty, values.count == 2,
                  let cidr = GuestInterface.cidr(values[0]), GuestInterface.ipv4(values[1]) != nil else {
                throw .malformed("route: expected DESTINATION/PREFIX GATEWAY after an interface")
            }
            guard current.interfaces[current.interfaces.count - 1].routes.count < 64 else { throw .malformed("more than 64 routes") }
            current.interfaces[current.interfaces.count - 1].routes.append(
                GuestInterface.Route(destination: cidr.address, prefixLength: cidr.prefix, gateway: values[1]))
        case "app":
            guard values.count == 2, GuestNames.isName(values[0]), let disk = Int(values[1]),
                  (GuestDisks.firstImage..<current.diskCount).contains(disk) else {
                throw .malformed("app: expected NAME DISK with an image disk index below \(current.diskCount)")
            }
            guard current.apps.count < GuestPodConfig.maximumApps else { throw .malformed("more than \(GuestPodConfig.maximumApps) apps") }
            guard !current.apps.contains(where: { $0.name == values[0] }) else { throw .malformed("app \(values[0]) twice") }
            current.apps.append(GuestApp(name: values[0], imageDisk: disk, program: "", arguments: []))
        case "end":
            guard values.isEmpty else { throw .malformed("end takes no values") }
            return true
        default:
            guard !current.apps.isEmpty else { throw .malformed("\(keyword) before the first `app`") }
            try appLine(keyword, values, into: &current.apps[current.apps.count - 1], volumes: current.volumes)
        }
        return false
    }

    private func volume(_ values: [String], diskCount: Int, existing: [GuestVolume]) throws(GuestProtocolError) -> GuestVolume {
        guard values.count >= 2, GuestNames.isName(values[0]) else { throw .malformed("volume: expected NAME KIND") }
        guard !existing.contains(where: { $0.name == values[0] }) else { throw .malformed("volume \(values[0]) twice") }
        switch values.dropFirst().first {
        case "empty" where values.count == 2:
            return GuestVolume(name: values[0], source: .empty)
        case "disk" where values.count == 3 || (values.count == 4 && values[3] == "ro"):
            guard let index = Int(values[2]), (GuestDisks.firstImage..<diskCount).contains(index) else {
                throw .malformed("volume \(values[0]): disk index out of range")
            }
            return GuestVolume(name: values[0], source: .disk(index), readOnly: values.count == 4)
        default:
            throw .malformed("volume \(values[0]): expected `empty` or `disk INDEX [ro]`")
        }
    }

    private func appLine(_ keyword: String, _ values: [String], into app: inout GuestApp,
                         volumes: [GuestVolume]) throws(GuestProtocolError) {
        switch keyword {
        case "exec":
            guard app.program.isEmpty, values.count >= 2, GuestNames.isAbsolutePath(values[0]) else {
                throw .malformed("exec: once per app: an absolute program path, then argv (argv[0] included)")
            }
            guard values.allSatisfy({ !$0.utf8.contains(0) }) else { throw .malformed("exec: NUL in an argument") }
            app.program = values[0]
            app.arguments = Array(values.dropFirst())
        case "env":
            guard values.count == 1, let equals = values[0].utf8.firstIndex(of: 0x3D), equals != values[0].utf8.startIndex,
                  !values[0].utf8.contains(0) else { throw .malformed("env: expected NAME=VALUE") }
            app.environment.append(values[0])
        case "user":
            guard values.count == 2, let uid = UInt32(values[0]), let gid = UInt32(values[1]) else {
                throw .malformed("user: expected UID GID")
            }
            app.uid = uid
            app.gid = gid
        case "groups":
            var gids: [UInt32] = []
            for value in values {
                guard let gid = UInt32(value) else { throw .malformed("groups: \(value) is not a group id") }
                gids.append(gid)
            }
            guard gids.count <= 64 else { throw .malformed("groups: more than 64") }
            app.supplementaryGIDs = gids
        case "cwd":
            guard values.count == 1, GuestNames.isAbsolutePath(values[0]) else { throw .malformed("cwd: expected an absolute path") }
            app.workingDirectory = values[0]
        case "readonly-rootfs":
            guard values.isEmpty else { throw .malformed("readonly-rootfs takes no values") }
            app.readOnlyRootfs = true
        case "caps":
            guard app.retainedCapabilities == nil else { throw .malformed("caps: once per app") }
            var numbers: [Int32] = []
            for value in values {
                guard let number = Int32(value), (0...63).contains(number) else { throw .malformed("caps: \(value) is not a capability number") }
                numbers.append(number)
            }
            app.retainedCapabilities = numbers
        case "seccomp-bpf":
            guard app.seccompFilter == nil, values.count == 1, let program = GuestHex.decode(values[0]),
                  !program.isEmpty, program.count % 8 == 0, program.count / 8 <= 4096 else {
                throw .malformed("seccomp-bpf: once per app, hex of 1 to 4096 eight-byte instructions")
            }
            app.seccompFilter = program
        case "mount":
            guard values.count == 3, volumes.contains(where: { $0.name == values[0] }),
                  GuestNames.isAbsolutePath(values[1]), values[1] != "/", values[2] == "ro" || values[2] == "rw" else {
                throw .malformed("mount: expected a declared VOLUME, an absolute TARGET other than /, ro|rw")
            }
            app.mounts.append(GuestAppMount(volume: values[0], target: values[1], readOnly: values[2] == "ro"))
        default:
            throw .malformed("unknown keyword \(keyword)")
        }
    }

    func finish() throws(GuestProtocolError) -> GuestPodConfig {
        guard let config else { throw .malformed("no `disks` line") }
        guard !config.hostname.isEmpty else { throw .malformed("no hostname") }
        guard !config.apps.isEmpty else { throw .malformed("no apps") }
        for app in config.apps where app.program.isEmpty { throw .malformed("app \(app.name) has no exec") }
        return config
    }
}
