/// One entry of an app's `environment`: a POSIX name (letters, digits, `_`, not starting with a digit)
/// and an uninterpreted value.
public struct EnvironmentVariable: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        name = try reader.requiredString("name")
        value = try reader.requiredString("value", allowEmpty: true)
    }

    var json: JSONValue {
        .object([("name", .string(name)), ("value", .string(value))])
    }

    static func validate(_ environment: [EnvironmentVariable], at path: String) throws {
        var seen = Set<String>()
        for (index, variable) in environment.enumerated() {
            let namePath = FieldPath.member(FieldPath.element(path, index), "name")
            guard isValidName(variable.name) else {
                throw ValidationError(path: namePath, message: "\(quoted(variable.name)) is not a valid environment variable name")
            }
            guard seen.insert(variable.name).inserted else {
                throw ValidationError(path: namePath, message: "duplicate environment variable \(quoted(variable.name))")
            }
        }
    }
}

extension Array where Element == EnvironmentVariable {
    /// The value of the variable named `name`, if set.
    public func value(of name: String) -> String? {
        first { $0.name == name }?.value
    }
}
