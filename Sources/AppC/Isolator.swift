/// An isolator (appc types.md / ace.md): an AC identifier name and an arbitrary JSON value.
/// Values of the well-known isolators are validated on construction and available decoded as `known`;
/// isolators the spec does not define are kept as raw JSON (`known == nil`) and written back unchanged.
public struct Isolator: Equatable, Sendable {
    public let name: ACIdentifier
    public let value: JSONValue
    public let known: KnownIsolator?

    public init(name: ACIdentifier, value: JSONValue) throws {
        try self.init(name: name, value: value, path: "")
    }

    /// A well-known isolator built from its decoded value (validated like a decoded one).
    public init(_ known: KnownIsolator) throws {
        try self.init(name: try ACIdentifier(known.name), value: known.json, path: "")
    }

    private init(name: ACIdentifier, value: JSONValue, path: String) throws {
        self.name = name
        self.value = value
        self.known = try KnownIsolator.decode(name: name.value, value: value, path: FieldPath.member(path, "value"))
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        let name = try ACIdentifier(try reader.requiredString("name"), at: reader.fieldPath("name"))
        guard let value = reader.optional("value") else {
            throw ValidationError(path: reader.fieldPath("value"), message: "is required")
        }
        try self.init(name: name, value: value, path: path)
    }

    var json: JSONValue {
        .object([("name", .string(name.value)), ("value", value)])
    }

    /// List rules: an isolator may repeat only where the spec allows it, and conflicting pairs
    /// (seccomp retain/remove, capabilities retain/remove) are refused.
    static func validate(_ isolators: [Isolator], at path: String) throws {
        var seen = Set<String>()
        for (index, isolator) in isolators.enumerated() {
            let namePath = FieldPath.member(FieldPath.element(path, index), "name")
            let name = isolator.name.value
            if seen.contains(name), !(isolator.known?.allowsMultiple ?? true) {
                throw ValidationError(path: namePath, message: "only one \(quoted(name)) isolator is allowed")
            }
            if let conflict = isolator.known?.conflictingNames.first(where: seen.contains) {
                throw ValidationError(path: namePath, message: "\(quoted(name)) cannot be combined with \(quoted(conflict))")
            }
            seen.insert(name)
        }
    }
}

extension KnownIsolator {
    /// The isolator name this value belongs under.
    public var name: String {
        switch self {
        case .resourceCPU: return Self.resourceCPUName
        case .resourceMemory: return Self.resourceMemoryName
        case .resourceBlockBandwidth: return Self.resourceBlockBandwidthName
        case .resourceBlockIOPS: return Self.resourceBlockIOPSName
        case .resourceNetworkBandwidth: return Self.resourceNetworkBandwidthName
        case .capabilitiesRetainSet: return Self.capabilitiesRetainSetName
        case .capabilitiesRemoveSet: return Self.capabilitiesRemoveSetName
        case .seccompRetainSet: return Self.seccompRetainSetName
        case .seccompRemoveSet: return Self.seccompRemoveSetName
        case .noNewPrivileges: return Self.noNewPrivilegesName
        case .oomScoreAdj: return Self.oomScoreAdjName
        case .cpuShares: return Self.cpuSharesName
        case .selinuxContext: return Self.selinuxContextName
        case .unixSysctl: return Self.unixSysctlName
        }
    }
}

extension Array where Element == Isolator {
    /// The first isolator named `name`.
    public func first(named name: String) -> Isolator? {
        first { $0.name.value == name }
    }
}
