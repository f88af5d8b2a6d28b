/// The flags stage0 passes to a stage1 `run` entrypoint (rkt's stage1 implementors guide, interface
/// version 1): `--debug --net=… --interactive --local-config=… --hostname=… --mds-register=…
/// --disable-capabilities-restriction --disable-paths --disable-seccomp UUID`. The three `--disable-…` flags
/// come from `--insecure-options=capabilities,paths,seccomp`; the fly flavor has none of those protections.
public struct Stage1Arguments: Equatable, Sendable {
    public var uuid: String
    public var debug = false
    public var net = "default"
    public var interactive = false
    public var localConfig = "/etc/rkt"
    /// The system config dir (`--system-config`): stage1s read `net.d` there after the local one. Not in
    /// rkt's contract; passed only when set, and ignored by stage1s that do not know it.
    public var systemConfig: String?
    public var hostname: String?
    public var mdsRegister = false
    public var disableCapabilities = false
    public var disablePaths = false
    public var disableSeccomp = false

    public init(uuid: String) {
        self.uuid = uuid
    }

    public var arguments: [String] {
        var list: [String] = []
        if debug { list.append("--debug") }
        list.append("--net=\(net)")
        if interactive { list.append("--interactive") }
        list.append("--local-config=\(localConfig)")
        if let systemConfig { list.append("--system-config=\(systemConfig)") }
        if let hostname { list.append("--hostname=\(hostname)") }
        list.append("--mds-register=\(mdsRegister)")
        if disableCapabilities { list.append("--disable-capabilities-restriction") }
        if disablePaths { list.append("--disable-paths") }
        if disableSeccomp { list.append("--disable-seccomp") }
        list.append(uuid)
        return list
    }

    /// Parses the flags; unknown flags from newer stage0s are ignored, as the contract asks of stage1s.
    public init(parsing arguments: [String]) throws {
        var uuid: String?
        var parsed = Stage1Arguments(uuid: "")
        for argument in arguments {
            if argument.hasPrefix("--") {
                let parts = argument.dropFirst(2).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                let value = parts.count > 1 ? String(parts[1]) : nil
                switch name {
                case "debug": parsed.debug = value.map { $0 == "true" } ?? true
                case "interactive": parsed.interactive = value.map { $0 == "true" } ?? true
                case "net": parsed.net = value ?? "default"
                case "local-config": parsed.localConfig = value ?? parsed.localConfig
                case "system-config": parsed.systemConfig = value
                case "hostname": parsed.hostname = value
                case "mds-register": parsed.mdsRegister = value.map { $0 == "true" } ?? true
                case "disable-capabilities-restriction": parsed.disableCapabilities = value.map { $0 == "true" } ?? true
                case "disable-paths": parsed.disablePaths = value.map { $0 == "true" } ?? true
                case "disable-seccomp": parsed.disableSeccomp = value.map { $0 == "true" } ?? true
                default: break
                }
            } else if uuid == nil {
                uuid = argument
            } else {
                throw PodError.invalidUUID(argument)
            }
        }
        guard let uuid, PodUUID.isValid(uuid) else { throw PodError.invalidUUID(uuid ?? "(missing)") }
        parsed.uuid = uuid
        self = parsed
    }
}
