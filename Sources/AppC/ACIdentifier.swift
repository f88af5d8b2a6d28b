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

/// The shared grammar of AC names and identifiers: alphanumeric runs joined by single separators.
enum ACNameGrammar {
    static func matches(_ string: String, separators: Set<UInt8>) -> Bool {
        var previousWasSeparator = true // also rejects a leading separator and the empty string
        for byte in string.utf8 {
            if isLowerAlphanumeric(byte) {
                previousWasSeparator = false
            } else if separators.contains(byte) {
                if previousWasSeparator { return false }
                previousWasSeparator = true
            } else {
                return false
            }
        }
        return !previousWasSeparator
    }

    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}

/// A string quoted for an error message, with quotes and control characters escaped; hostile
/// multi-megabyte values are cut to their first 200 characters.
func quoted(_ string: String) -> String {
    let limit = 200
    guard string.count > limit else { return JSONValue.string(string).serialized(pretty: false) }
    return JSONValue.string(String(string.prefix(limit))).serialized(pretty: false) + "…"
}
