import Foundation

/// Free-form metadata on an image, app or pod: an AC identifier name and a string value.
public struct Annotation: Hashable, Sendable {
    public var name: ACIdentifier
    public var value: String

    public init(name: ACIdentifier, value: String) {
        self.name = name
        self.value = value
    }

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

    /// Unique names, and the spec's formats for the recognised annotations: `created` is an RFC 3339
    /// date-time, `homepage` and `documentation` are http(s) URLs.
    static func validate(_ annotations: [Annotation], at path: String) throws {
        var seen = Set<ACIdentifier>()
        for (index, annotation) in annotations.enumerated() {
            let element = FieldPath.element(path, index)
            guard seen.insert(annotation.name).inserted else {
                throw ValidationError(path: FieldPath.member(element, "name"),
                                      message: "duplicate annotation \(quoted(annotation.name.value))")
            }
            let valuePath = FieldPath.member(element, "value")
            switch annotation.name.value {
            case "created":
                guard RFC3339.isValid(annotation.value) else {
                    throw ValidationError(path: valuePath, message: "\(quoted(annotation.value)) is not an RFC 3339 date-time")
                }
            case "homepage", "documentation":
                guard let url = URL(string: annotation.value), let scheme = url.scheme?.lowercased(),
                      scheme == "http" || scheme == "https", url.host != nil else {
                    throw ValidationError(path: valuePath, message: "\(quoted(annotation.value)) is not an http or https URL")
                }
            default: break
            }
        }
    }
}

extension Array where Element == Annotation {
    /// The value of the annotation named `name`, if present.
    public func value(of name: String) -> String? {
        first { $0.name.value == name }?.value
    }
}
