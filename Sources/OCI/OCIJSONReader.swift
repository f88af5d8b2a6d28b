import AppC
import Foundation

/// Reads one object of an untrusted OCI document with the field path attached to every failure. Parsing
/// is AppC's strict JSON parser (no duplicate members, bounded depth) after a size check.
struct OCIJSONReader {
    let document: String
    let path: String
    let value: JSONValue

    /// Parses `data` (refused above `limit` bytes) and expects an object at the top.
    static func parse(_ data: [UInt8], document: String, limit: Int) throws -> OCIJSONReader {
        guard data.count <= limit else { throw OCIError.tooLarge(document: document, limit: Int64(limit)) }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Data(data))
        } catch let error as AppC.ValidationError {
            throw OCIError.invalidDocument(document: document, field: "", reason: error.message)
        }
        return try OCIJSONReader(value, document: document, path: "")
    }

    init(_ value: JSONValue, document: String, path: String) throws {
        guard case .object = value else {
            throw OCIError.invalidDocument(document: document, field: path, reason: "expected an object, got \(value.kindName)")
        }
        self.value = value
        self.document = document
        self.path = path
    }

    func field(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func failure(_ key: String, _ reason: String) -> OCIError {
        .invalidDocument(document: document, field: field(key), reason: reason)
    }

    func optional(_ key: String) -> JSONValue? {
        guard let member = value[key] else { return nil }
        if case .null = member { return nil }
        return member
    }

    func optionalString(_ key: String) throws -> String? {
        guard let member = optional(key) else { return nil }
        guard let string = member.stringValue else { throw failure(key, "expected a string, got \(member.kindName)") }
        return string
    }

    func requiredString(_ key: String) throws -> String {
        guard let string = try optionalString(key), !string.isEmpty else { throw failure(key, "is required") }
        return string
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let member = optional(key) else { return nil }
        guard case let .number(text) = member, let number = Int64(text), range.contains(number) else {
            throw failure(key, "expected an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    func optionalObject(_ key: String) throws -> OCIJSONReader? {
        guard let member = optional(key) else { return nil }
        return try OCIJSONReader(member, document: document, path: field(key))
    }

    /// Array members, each decoded with its own path; an absent member is empty. At most `limit` elements.
    func list<T>(_ key: String, limit: Int = 4096, _ decode: (JSONValue, String) throws -> T) throws -> [T] {
        guard let member = optional(key) else { return [] }
        guard case let .array(elements) = member else { throw failure(key, "expected an array, got \(member.kindName)") }
        guard elements.count <= limit else { throw failure(key, "more than \(limit) elements") }
        return try elements.enumerated().map { index, element in try decode(element, field(key) + "[\(index)]") }
    }

    func stringList(_ key: String, limit: Int = 4096) throws -> [String] {
        try list(key, limit: limit) { element, elementPath in
            guard let string = element.stringValue else {
                throw OCIError.invalidDocument(document: document, field: elementPath, reason: "expected a string, got \(element.kindName)")
            }
            return string
        }
    }

    /// An object whose members are strings, in document order.
    func stringMap(_ key: String, limit: Int = 4096) throws -> [(key: String, value: String)] {
        guard let member = optional(key) else { return [] }
        guard case let .object(members) = member else { throw failure(key, "expected an object, got \(member.kindName)") }
        guard members.count <= limit else { throw failure(key, "more than \(limit) members") }
        return try members.map { name, value in
            guard let string = value.stringValue else { throw failure(key + "." + name, "expected a string, got \(value.kindName)") }
            return (name, string)
        }
    }

    /// The member names of an object whose values are objects (docker's `{"80/tcp": {}}` sets).
    func keySet(_ key: String, limit: Int = 4096) throws -> [String] {
        guard let member = optional(key) else { return [] }
        guard case let .object(members) = member else { throw failure(key, "expected an object, got \(member.kindName)") }
        guard members.count <= limit else { throw failure(key, "more than \(limit) members") }
        return members.map(\.key)
    }
}
