/// An OpenPGP primary key fingerprint as rkt names trusted key files: lowercase hex, 40 digits for v4 keys
/// (64 for v5).
public struct KeyFingerprint: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let hex: String

    /// Accepts upper or lower case, with or without spaces (as gpg prints them).
    public init(_ text: String) throws {
        let compact = text.filter { $0 != " " }.lowercased()
        guard compact.count == 40 || compact.count == 64,
              compact.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw TrustError.invalidFingerprint(text)
        }
        hex = compact
    }

    public var description: String { hex }

    /// Groups of four, as GnuPG shows fingerprints for humans to compare.
    public var grouped: String {
        var groups: [Substring] = []
        var rest = Substring(hex.uppercased())
        while !rest.isEmpty {
            groups.append(rest.prefix(4))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }

    public static func < (lhs: KeyFingerprint, rhs: KeyFingerprint) -> Bool { lhs.hex < rhs.hex }
}
