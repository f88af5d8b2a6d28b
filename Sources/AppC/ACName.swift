/// An AC Name (appc types.md): lowercase alphanumerics in runs joined by single `-`, starting and
/// ending with an alphanumeric — `^[a-z0-9]+([-][a-z0-9]+)*$`. Used for app names in a pod, port names,
/// mount point and volume names.
public struct ACName: Hashable, Comparable, CustomStringConvertible, Sendable {
    public let value: String

    public init(_ string: String) throws {
        try self.init(string, at: "")
    }

    init(_ string: String, at path: String) throws {
        guard Self.isValid(string) else {
            throw ValidationError(path: path, message: "\(quoted(string)) is not a valid AC name")
        }
        value = string
    }

    public static func isValid(_ string: String) -> Bool {
        ACNameGrammar.matches(string, separators: [UInt8(ascii: "-")])
    }

    /// Turns an arbitrary string into a valid AC name the way rkt derives app names from image names:
    /// lowercase it, replace every run of other characters with `-`, trim dashes. Nil when nothing is left.
    public static func sanitized(_ string: String) -> ACName? {
        var out = ""
        var pendingDash = false
        for scalar in string.lowercased().unicodeScalars {
            if scalar.isASCII, ACNameGrammar.isLowerAlphanumeric(UInt8(scalar.value)) {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return try? ACName(out)
    }

    /// The app name rkt gives an image's app when none is chosen: the sanitized last path component of
    /// the image name (`coreos.com/etcd` → `etcd`).
    public static func defaultAppName(forImage image: ACIdentifier) -> ACName? {
        let last = image.value.split(separator: "/").last.map(String.init) ?? image.value
        return sanitized(last)
    }

    public var description: String { value }

    public static func < (lhs: ACName, rhs: ACName) -> Bool { lhs.value < rhs.value }
}
