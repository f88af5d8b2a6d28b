/// A place where an app expects external data: the AC name a volume is matched by, and the absolute
/// path inside the app's root.
public struct MountPoint: Hashable, Sendable {
    public var name: ACName
    public var path: String
    public var readOnly: Bool

    public init(name: ACName, path: String, readOnly: Bool = false) {
        self.name = name
        self.path = path
        self.readOnly = readOnly
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        name = try ACName(try reader.requiredString("name"), at: reader.fieldPath("name"))
        self.path = try reader.requiredString("path")
        readOnly = try reader.optionalBool("readOnly") ?? false
        try AppPath.validateContained(self.path, at: reader.fieldPath("path"))
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("name", name.value)
        object.set("path", path)
        if readOnly { object.set("readOnly", .bool(true)) }
        return object.value
    }
}
