/// An image ID (appc types.md "Image ID Type"): `sha512-` followed by the hex SHA-512 of the image's
/// uncompressed tar. The full form has all 128 hex digits. Like rkt (`rkt image rm sha512-a03f6bad952b`),
/// parsing also accepts a shortened ID — `sha512-` and at least `minimumPrefixLength` hex digits — which
/// names every stored image whose ID starts with those digits. Hex case is normalised to lowercase.
/// A bare hex string without `sha512-` is not an image ID (rkt treats it as an image name).
public struct ImageID: Hashable, Comparable, CustomStringConvertible, Sendable {
    public static let algorithm = "sha512"
    public static let fullLength = 128
    /// rkt's minimum: `sha512-aa`.
    public static let minimumPrefixLength = 2
    /// rkt's short display form (`rkt image list`, `rkt list --full`): `sha512-` and 12 hex digits.
    public static let shortLength = 12
    /// rkt's store key and `--full` display form: the first half of the digest, 64 hex digits.
    public static let keyLength = 64

    /// The lowercase hex digits this ID pins down: all 128 for a full ID, fewer for a shortened one.
    public let prefix: String

    public var isFull: Bool { prefix.utf8.count == Self.fullLength }

    /// The whole digest in hex, when this is a full ID.
    public var hexDigest: String? { isFull ? prefix : nil }

    /// Parses `sha512-HEX` with 2...128 hex digits (any case).
    public init(_ string: String) throws {
        try self.init(string, at: "")
    }

    init(_ string: String, at path: String) throws {
        let algorithmPrefix = Self.algorithm + "-"
        guard string.hasPrefix(algorithmPrefix) else {
            throw ValidationError(path: path, message: "\(quoted(string)) is not an image ID (expected \"sha512-\" and hex digits)")
        }
        let hex = String(string.dropFirst(algorithmPrefix.count))
        prefix = try Self.normalisedHex(hex, string: string, path: path, lengths: Self.minimumPrefixLength...Self.fullLength)
    }

    /// A full ID from the 128 hex digits of a SHA-512 digest (any case).
    public init(hexDigest: String) throws {
        prefix = try Self.normalisedHex(hexDigest, string: hexDigest, path: "", lengths: Self.fullLength...Self.fullLength)
    }

    /// A full ID from the 64 raw bytes of a SHA-512 digest.
    public init(digest: [UInt8]) throws {
        guard digest.count == Self.fullLength / 2 else {
            throw ValidationError(path: "", message: "a SHA-512 digest has 64 bytes, got \(digest.count)")
        }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(Self.fullLength)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        prefix = String(decoding: hex, as: UTF8.self)
    }

    private static func normalisedHex(_ hex: String, string: String, path: String, lengths: ClosedRange<Int>) throws -> String {
        guard hex.utf8.allSatisfy({ HexDigits.value(of: $0) != nil }) else {
            throw ValidationError(path: path, message: "\(quoted(string)) is not an image ID (non-hex digits)")
        }
        let count = hex.utf8.count
        guard lengths.contains(count) else {
            let expected = lengths.lowerBound == lengths.upperBound ? "\(lengths.lowerBound)" : "\(lengths.lowerBound) to \(lengths.upperBound)"
            throw ValidationError(path: path, message: "\(quoted(string)) is not an image ID (\(count) hex digits, expected \(expected))")
        }
        return hex.lowercased()
    }

    /// `sha512-` and every known hex digit.
    public var description: String { "\(Self.algorithm)-\(prefix)" }

    /// rkt's short form, `sha512-` and the first 12 hex digits.
    public var shortString: String { "\(Self.algorithm)-\(prefix.prefix(Self.shortLength))" }

    /// rkt's store key / `--full` form, `sha512-` and the first 64 hex digits.
    public var keyString: String { "\(Self.algorithm)-\(prefix.prefix(Self.keyLength))" }

    /// Whether this ID starts with `prefix`'s digits: a stored full ID matches every shortened form of itself.
    public func matches(prefix other: ImageID) -> Bool {
        prefix.hasPrefix(other.prefix)
    }

    /// Convenience for matching a user-typed string; false when `string` is not a valid (short) image ID.
    public func matches(prefix string: String) -> Bool {
        guard let other = try? ImageID(string) else { return false }
        return matches(prefix: other)
    }

    public static func < (lhs: ImageID, rhs: ImageID) -> Bool { lhs.prefix < rhs.prefix }
}
