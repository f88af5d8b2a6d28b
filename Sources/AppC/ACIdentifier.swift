/// An AC Identifier (appc types.md): lowercase alphanumerics in runs separated by single characters from
/// `-._~/`, starting and ending with an alphanumeric — `^[a-z0-9]+([-._~/][a-z0-9]+)*$`.
/// Used for image names, label names, annotation names and isolator names.
public struct ACIdentifier: Hashable, Comparable, CustomStringConvertible, Sendable {
    public let value: String

    public init(_ string: String) throws {
        guard Self.isValid(string) else {
            throw ValidationError(path: "", message: "\(quoted(string)) is not a valid AC identifier")
        }
        value = string
    }

    /// Validates at a field path, so the error names the field.
    init(_ string: String, at path: String) throws {
        guard Self.isValid(string) else {
            throw ValidationError(path: path, message: "\(quoted(string)) is not a valid AC identifier")
        }
        value = string
    }

    public static func isValid(_ string: String) -> Bool {
        ACNameGrammar.matches(string, separators: [UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                                                   UInt8(ascii: "~"), UInt8(ascii: "/")])
    }

    public var description: String { value }

    public static func < (lhs: ACIdentifier, rhs: ACIdentifier) -> Bool { lhs.value < rhs.value }
}
