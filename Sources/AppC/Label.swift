/// A label of an image (`version`, `os`, `arch`, ...): an AC identifier name and a free string value.
public struct Label: Hashable, Sendable {
    public var name: ACIdentifier
    public var value: String

    public init(name: ACIdentifier, value: String) {
        self.name = name
        self.value = value
    }

    /// Convenience for code that builds labels from known-good literals; validates the name.
    public init(_ name: String, _ value: String) throws {
        self.init(name: try ACIdentifier(name), value: value)
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        name = try ACIdentifier(try reader.requiredString("name"), at: reader.fieldPath("name"))
        value = try reader.requiredString("value", allowEmpty: true)
    }

    var json: JSONValue {
        .object([("name", .string(name.value)), ("value", .string(value))])
    }

    /// Checks a label list the way the spec asks: unique names, no label called "name", and a known
    /// os/arch combination when `os` is given (`arch` is meaningful only with `os`).
    static func validate(_ labels: [Label], at path: String) throws {
        var seen = Set<ACIdentifier>()
        for (index, label) in labels.enumerated() {
            let labelPath = FieldPath.member(FieldPath.element(path, index), "name")
            if label.name.value == "name" {
                throw ValidationError(path: labelPath, message: "\"name\" is not allowed as a label name")
            }
            guard seen.insert(label.name).inserted else {
                throw ValidationError(path: labelPath, message: "duplicate label \(quoted(label.name.value))")
            }
        }
        guard let osIndex = labels.firstIndex(where: { $0.name.value == "os" }) else { return }
        let os = labels[osIndex].value
        guard let arches = OSArch.valid[os] else {
            throw ValidationError(path: FieldPath.member(FieldPath.element(path, osIndex), "value"),
                                  message: "bad os \(quoted(os)) (must be one of: \(OSArch.valid.keys.sorted().joined(separator: ", ")))")
        }
        if let archIndex = labels.firstIndex(where: { $0.name.value == "arch" }), !arches.contains(labels[archIndex].value) {
            throw ValidationError(path: FieldPath.member(FieldPath.element(path, archIndex), "value"),
                                  message: "bad arch \(quoted(labels[archIndex].value)) for \(os) (must be one of: \(arches.joined(separator: ", ")))")
        }
    }
}

extension Array where Element == Label {
    /// The value of the label named `name`, if present.
    public func value(of name: String) -> String? {
        first { $0.name.value == name }?.value
    }

    /// Dependency matching (aci.md): every label in `wanted` is present here with the same value;
    /// labels only present here match anything.
    public func satisfies(_ wanted: [Label]) -> Bool {
        wanted.allSatisfy { value(of: $0.name.value) == $0.value }
    }
}
