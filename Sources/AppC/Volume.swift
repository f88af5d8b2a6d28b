/// A pod-level volume (appc pods.md): a host directory bind-mounted into apps, or an empty directory
/// that lives as long as the pod. `mode`/`uid`/`gid` apply to empty volumes only and default to
/// `0755`, 0, 0 there; `readOnly`/`recursive` stay nil when not given so they round-trip.
public struct Volume: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case host
        case empty
    }

    public var name: ACName
    public var kind: Kind
    public var source: String?
    public var readOnly: Bool?
    public var recursive: Bool?
    public var mode: String?
    public var uid: Int?
    public var gid: Int?

    public static let defaultEmptyMode = "0755"

    public init(name: ACName, kind: Kind, source: String? = nil, readOnly: Bool? = nil, recursive: Bool? = nil,
                mode: String? = nil, uid: Int? = nil, gid: Int? = nil) {
        self.name = name
        self.kind = kind
        self.source = source
        self.readOnly = readOnly
        self.recursive = recursive
        self.mode = mode
        self.uid = uid
        self.gid = gid
        applyDefaults()
    }

    private mutating func applyDefaults() {
        guard kind == .empty else { return }
        if mode == nil { mode = Self.defaultEmptyMode }
        if uid == nil { uid = 0 }
        if gid == nil { gid = 0 }
    }

    /// The permission bits of an empty volume, parsed from the octal `mode`.
    public var modeBits: UInt32? { mode.flatMap { UInt32($0, radix: 8) } }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        name = try ACName(try reader.requiredString("name"), at: reader.fieldPath("name"))
        let kindText = try reader.requiredString("kind")
        guard let kind = Kind(rawValue: kindText) else {
            throw ValidationError(path: reader.fieldPath("kind"), message: "\(quoted(kindText)) is not one of \"empty\", \"host\"")
        }
        self.kind = kind
        source = try reader.optionalString("source")
        readOnly = try reader.optionalBool("readOnly")
        recursive = try reader.optionalBool("recursive")
        mode = try reader.optionalString("mode")
        uid = try reader.optionalInt("uid", in: 0...Int(UInt32.max))
        gid = try reader.optionalInt("gid", in: 0...Int(UInt32.max))
        applyDefaults()
        try validate(at: path)
    }

    public func validate(at path: String) throws {
        func field(_ key: String) -> String { FieldPath.member(path, key) }
        switch kind {
        case .empty:
            if let source, !source.isEmpty {
                throw ValidationError(path: field("source"), message: "must be empty for an empty volume")
            }
            guard let mode, !mode.isEmpty, mode.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }),
                  let bits = UInt32(mode, radix: 8), bits <= 0o7777 else {
                throw ValidationError(path: field("mode"), message: "\(quoted(mode ?? "")) is not an octal file mode")
            }
            for (key, id) in [("uid", uid), ("gid", gid)] where !(0...Int(UInt32.max)).contains(id ?? -1) {
                throw ValidationError(path: field(key), message: "is not a valid ID")
            }
        case .host:
            guard let source, !source.isEmpty else {
                throw ValidationError(path: field("source"), message: "is required for a host volume")
            }
            guard source.hasPrefix("/") else {
                throw ValidationError(path: field("source"), message: "\(quoted(source)) must be an absolute path")
            }
            for (key, present) in [("mode", mode != nil), ("uid", uid != nil), ("gid", gid != nil)] where present {
                throw ValidationError(path: field(key), message: "cannot be set for a host volume")
            }
        }
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("name", name.value)
        object.set("kind", kind.rawValue)
        object.setIfPresent("source", source)
        object.setIfPresent("readOnly", readOnly.map(JSONValue.bool))
        object.setIfPresent("recursive", recursive.map(JSONValue.bool))
        object.setIfPresent("mode", mode)
        object.setIfPresent("uid", uid.map(JSONValue.integer))
        object.setIfPresent("gid", gid.map(JSONValue.integer))
        return object.value
    }
}
