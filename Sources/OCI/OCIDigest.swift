/// A content digest `ALGORITHM:HEX` (OCI image-spec descriptor.md). Only sha256 and sha512 are accepted,
/// with exactly the hex length of the algorithm, lowercase, so a digest can name a file safely.
public struct OCIDigest: Hashable, Comparable, CustomStringConvertible, Sendable {
    public enum Algorithm: String, Sendable {
        case sha256, sha512
        var hexLength: Int { self == .sha256 ? 64 : 128 }
    }

    public let algorithm: Algorithm
    public let hex: String

    public init(_ text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let algorithm = Algorithm(rawValue: String(parts[0])) else {
            throw OCIError.invalidReference(text, reason: "a digest must be sha256:HEX or sha512:HEX")
        }
        let hex = String(parts[1])
        guard hex.utf8.count == algorithm.hexLength,
              hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw OCIError.invalidReference(text, reason: "\(algorithm.rawValue) digests have \(algorithm.hexLength) lowercase hex digits")
        }
        self.init(algorithm: algorithm, hex: hex)
    }

    init(algorithm: Algorithm, hex: String) {
        self.algorithm = algorithm
        self.hex = hex
    }

    /// The digest of `bytes` with `algorithm`.
    public static func of(_ bytes: [UInt8], algorithm: Algorithm = .sha256) -> OCIDigest {
        let hasher = DigestHasher(algorithm)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Throws `digestMismatch` unless `bytes` hash to this digest.
    public func verify(_ bytes: [UInt8], blob: String) throws {
        let actual = OCIDigest.of(bytes, algorithm: algorithm)
        guard actual == self else { throw OCIError.digestMismatch(blob: blob, expected: description, actual: actual.description) }
    }

    /// `sha256-HEX`: the digest as a file name (no colon).
    public var fileName: String { algorithm.rawValue + "-" + hex }

    public var description: String { algorithm.rawValue + ":" + hex }

    public static func < (lhs: OCIDigest, rhs: OCIDigest) -> Bool { lhs.description < rhs.description }
}
