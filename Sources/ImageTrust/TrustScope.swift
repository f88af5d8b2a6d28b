import AppC

/// Which images a trusted key may sign: all of them (`root.d`), or those whose name is the prefix or lies
/// under it (`prefix.d/<prefix>`: `example.com` covers `example.com` and `example.com/app`, not
/// `example.company`).
public enum TrustScope: Hashable, Sendable, CustomStringConvertible {
    case root
    case prefix(String)

    /// Validates the prefix as an AC identifier, so it is safe to use as a relative directory path
    /// (no `..`, no empty or absolute components).
    public static func prefix(validating text: String) throws -> TrustScope {
        guard ACIdentifier.isValid(text) else { throw TrustError.invalidPrefix(text) }
        return .prefix(text)
    }

    /// The directory below `trustedkeys/` holding keys of this scope.
    public var relativeDirectory: String {
        switch self {
        case .root: return "root.d"
        case let .prefix(prefix): return "prefix.d/" + prefix
        }
    }

    /// Whether a key of this scope may sign an image called `imageName`.
    public func covers(imageName: String) -> Bool {
        switch self {
        case .root: return true
        case let .prefix(prefix): return imageName == prefix || imageName.hasPrefix(prefix + "/")
        }
    }

    public var description: String {
        switch self {
        case .root: return "root (any image)"
        case let .prefix(prefix): return "prefix \(prefix)"
        }
    }
}
