/// Reads the members of one JSON object with field paths attached to every failure, so each
/// schema type decodes in a few declarative lines. A member that is `null` counts as absent,
/// as it does for appc's reference implementation.
struct JSONObjectReader {
    let path: String
    private let value: JSONValue

    init(_ value: JSONValue, path: String) throws {
        guard case .object = value else {
            throw ValidationError(path: path, message: "expected an object, got \(value.kindName)")
        }
        self.value = value
        self.path = path
    }

    func fieldPath(_ key: String) -> String {
        FieldPath.member(path, key)
    }

    /// The member's value, or nil when absent or null.
    func optional(_ key: String) -> JSONValue? {
        guard let member = value[key] else { return nil }
        if case .null = member { return nil }
        return member
    }

    func required(_ key: String) throws -> JSONValue {
        guard let member = optional(key) else {
            throw ValidationError(path: fieldPath(key), message: "is required")
        }
        return member
    }

    func optionalString(_ key: String) throws -> String? {
        guard let member = optional(key) else { return nil }
        return try JSONObjectReader.string(member, path: fieldPath(key))
    }

    /// A required string; `allowEmpty: false` also rejects "".
    func requiredString(_ key: String, allowEmpty: Bool = false) throws -> String {
        let string = try JSONObjectReader.string(try required(key), path: fieldPath(key))
        if !allowEmpty && string.isEmpty {
            throw ValidationError(path: fieldPath(key), message: "must not be empty")
        }
        return string
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let member = optional(key) else { return nil }
        guard let bool = member.boolValue else {
            throw ValidationError(path: fieldPath(key), message: "expected a boolean, got \(member.kindName)")
        }
        return bool
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let member = optional(key) else { return nil }
        return try JSONObjectReader.int(member, path: fieldPath(key), in: range)
    }

    func requiredInt(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        try JSONObjectReader.int(try required(key), path: fieldPath(key), in: range)
    }

    /// Decodes each element of an optional array member; an absent member is an empty list.
    func list<T>(_ key: String, _ decode: (JSONValue, String) throws -> T) throws -> [T] {
        guard let member = optional(key) else { return [] }
        let listPath = fieldPath(key)
        guard case let .array(elements) = member else {
            throw ValidationError(path: listPath, message: "expected an array, got \(member.kindName)")
        }
        return try elements.enumerated().map { index, element in
            try decode(element, FieldPath.element(listPath, index))
        }
    }

    /// An optional object member whose members are all strings (`userLabels`, sysctl maps).
    func stringMap(_ key: String) throws -> [String: String] {
        guard let member = optional(key) else { return [:] }
        let mapPath = fieldPath(key)
        guard case let .object(members) = member else {
            throw ValidationError(path: mapPath, message: "expected an object, got \(member.kindName)")
        }
        var map: [String: String] = [:]
        for (name, value) in members {
            map[name] = try JSONObjectReader.string(value, path: FieldPath.member(mapPath, name))
        }
        return map
    }

    static func string(_ value: JSONValue, path: String) throws -> String {
        guard let string = value.stringValue else {
            throw ValidationError(path: path, message: "expected a string, got \(value.kindName)")
        }
        return string
    }

    static func int(_ value: JSONValue, path: String, in range: ClosedRange<Int>) throws -> Int {
        guard case .number = value else {
            throw ValidationError(path: path, message: "expected an integer, got \(value.kindName)")
        }
        guard let int = value.intValue else {
            throw ValidationError(path: path, message: "expected an integer, got \(value.serialized(pretty: false))")
        }
        guard range.contains(int) else {
            throw ValidationError(path: path, message: "\(int) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return int
    }
}
