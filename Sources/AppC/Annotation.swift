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

/// RFC 3339 `date-time` syntax check: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
enum RFC3339 {
    static func isValid(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var value = 0
            for i in range {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        guard b.count >= 20, digits(0..<4) != nil, b[4] == UInt8(ascii: "-"), let month = digits(5..<7),
              b[7] == UInt8(ascii: "-"), let day = digits(8..<10), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = digits(11..<13), b[13] == UInt8(ascii: ":"), let minute = digits(14..<16),
              b[16] == UInt8(ascii: ":"), let second = digits(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            guard i > start, i < b.count else { return false }
        }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return i + 1 == b.count }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), i + 6 == b.count,
              let offsetHour = digits(i + 1..<i + 3), b[i + 3] == UInt8(ascii: ":"),
              let offsetMinute = digits(i + 4..<i + 6) else { return false }
        return offsetHour < 24 && offsetMinute < 60
    }
}
