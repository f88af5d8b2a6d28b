/// The decoded meaning of an isolator whose name the spec (ace.md, appc 0.8.11) defines.
public enum KnownIsolator: Hashable, Sendable {
    case resourceCPU(ResourceLimits)
    case resourceMemory(ResourceLimits)
    case resourceBlockBandwidth(ResourceLimits)
    case resourceBlockIOPS(ResourceLimits)
    case resourceNetworkBandwidth(ResourceLimits)
    /// Capability names (`CAP_NET_BIND_SERVICE`) kept in the bounding set; all others dropped.
    case capabilitiesRetainSet([String])
    /// Capability names removed from the default bounding set.
    case capabilitiesRemoveSet([String])
    case seccompRetainSet(SeccompSet)
    case seccompRemoveSet(SeccompSet)
    case noNewPrivileges(Bool)
    /// `/proc/PID/oom_score_adj`, -1000...1000.
    case oomScoreAdj(Int)
    /// CFS cpu shares weight, 2...262144.
    case cpuShares(Int)
    case selinuxContext(SELinuxContext)
    /// `os/unix/sysctl`: sysctl keys to values, in document order.
    case unixSysctl([SysctlSetting])

    public static let resourceCPUName = "resource/cpu"
    public static let resourceMemoryName = "resource/memory"
    public static let resourceBlockBandwidthName = "resource/block-bandwidth"
    public static let resourceBlockIOPSName = "resource/block-iops"
    public static let resourceNetworkBandwidthName = "resource/network-bandwidth"
    public static let capabilitiesRetainSetName = "os/linux/capabilities-retain-set"
    public static let capabilitiesRemoveSetName = "os/linux/capabilities-remove-set"
    public static let seccompRetainSetName = "os/linux/seccomp-retain-set"
    public static let seccompRemoveSetName = "os/linux/seccomp-remove-set"
    public static let noNewPrivilegesName = "os/linux/no-new-privileges"
    public static let oomScoreAdjName = "os/linux/oom-score-adj"
    public static let cpuSharesName = "os/linux/cpu-shares"
    public static let selinuxContextName = "os/linux/selinux-context"
    public static let unixSysctlName = "os/unix/sysctl"

    /// Decodes and validates `value` for a well-known `name`; nil when the name is not one the spec defines.
    static func decode(name: String, value: JSONValue, path: String) throws -> KnownIsolator? {
        switch name {
        case resourceCPUName: return .resourceCPU(try resource(value, path, defaultMustBe: false))
        case resourceMemoryName: return .resourceMemory(try resource(value, path, defaultMustBe: false))
        case resourceBlockBandwidthName: return .resourceBlockBandwidth(try resource(value, path, defaultMustBe: true))
        case resourceBlockIOPSName: return .resourceBlockIOPS(try resource(value, path, defaultMustBe: true))
        case resourceNetworkBandwidthName: return .resourceNetworkBandwidth(try resource(value, path, defaultMustBe: true))
        case capabilitiesRetainSetName: return .capabilitiesRetainSet(try capabilitySet(value, path))
        case capabilitiesRemoveSetName: return .capabilitiesRemoveSet(try capabilitySet(value, path))
        case seccompRetainSetName: return .seccompRetainSet(try SeccompSet(json: value, path: path))
        case seccompRemoveSetName: return .seccompRemoveSet(try SeccompSet(json: value, path: path))
        case noNewPrivilegesName:
            guard let flag = value.boolValue else {
                throw ValidationError(path: path, message: "expected a boolean, got \(value.kindName)")
            }
            return .noNewPrivileges(flag)
        case oomScoreAdjName: return .oomScoreAdj(try JSONObjectReader.int(value, path: path, in: -1000...1000))
        case cpuSharesName: return .cpuShares(try JSONObjectReader.int(value, path: path, in: 2...262_144))
        case selinuxContextName: return .selinuxContext(try SELinuxContext(json: value, path: path))
        case unixSysctlName:
            guard case let .object(members) = value else {
                throw ValidationError(path: path, message: "expected an object, got \(value.kindName)")
            }
            return .unixSysctl(try members.map { key, setting in
                let settingPath = FieldPath.member(path, key)
                guard !key.isEmpty else { throw ValidationError(path: settingPath, message: "empty sysctl key") }
                return SysctlSetting(key: key, value: try JSONObjectReader.string(setting, path: settingPath))
            })
        default: return nil
        }
    }

    private static func resource(_ value: JSONValue, _ path: String, defaultMustBe required: Bool) throws -> ResourceLimits {
        let limits = try ResourceLimits(json: value, path: path)
        if limits.isDefault != required {
            throw ValidationError(path: FieldPath.member(path, "default"), message: "must be \(required)")
        }
        if required && limits.request != nil {
            throw ValidationError(path: FieldPath.member(path, "request"), message: "is not supported by this resource")
        }
        return limits
    }

    private static func capabilitySet(_ value: JSONValue, _ path: String) throws -> [String] {
        let reader = try JSONObjectReader(value, path: path)
        let set = try reader.list("set") { element, elementPath in
            let name = try JSONObjectReader.string(element, path: elementPath)
            guard !name.isEmpty else { throw ValidationError(path: elementPath, message: "must not be empty") }
            return name
        }
        guard !set.isEmpty else { throw ValidationError(path: reader.fieldPath("set"), message: "must be non-empty") }
        return set
    }

    /// The JSON value this isolator is written as.
    var json: JSONValue {
        switch self {
        case let .resourceCPU(limits), let .resourceMemory(limits), let .resourceBlockBandwidth(limits),
             let .resourceBlockIOPS(limits), let .resourceNetworkBandwidth(limits):
            return limits.json
        case let .capabilitiesRetainSet(set), let .capabilitiesRemoveSet(set):
            return .object([("set", .array(set.map { .string($0) }))])
        case let .seccompRetainSet(set), let .seccompRemoveSet(set):
            return set.json
        case let .noNewPrivileges(flag): return .bool(flag)
        case let .oomScoreAdj(value), let .cpuShares(value): return .integer(value)
        case let .selinuxContext(context): return context.json
        case let .unixSysctl(settings): return .object(settings.map { ($0.key, .string($0.value)) })
        }
    }

    /// Whether an app or pod may carry more than one isolator of this name (as in appc's reference
    /// code: only the no-new-privileges flag and capability sets may repeat).
    var allowsMultiple: Bool {
        switch self {
        case .noNewPrivileges, .capabilitiesRetainSet, .capabilitiesRemoveSet: return true
        default: return false
        }
    }

    /// Isolator names that cannot appear next to this one.
    var conflictingNames: [String] {
        switch self {
        case .seccompRetainSet: return [Self.seccompRemoveSetName]
        case .seccompRemoveSet: return [Self.seccompRetainSetName]
        case .capabilitiesRetainSet: return [Self.capabilitiesRemoveSetName]
        case .capabilitiesRemoveSet: return [Self.capabilitiesRetainSetName]
        default: return []
        }
    }
}
