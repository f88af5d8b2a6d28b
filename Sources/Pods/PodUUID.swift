import Foundation

/// Pod identifiers: lower-case RFC 4122 UUIDs, as rkt prints them, matched by unique prefix.
public enum PodUUID {
    public static func generate() -> String {
        UUID().uuidString.lowercased()
    }

    /// Whether `text` is a full pod UUID (8-4-4-4-12 lower-case hex).
    public static func isValid(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.utf8.allSatisfy(isHex) }
    }

    /// Whether `text` can be a prefix of a pod UUID (hex digits and dashes, at most 36 characters).
    public static func isValidPrefix(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 36 && text.utf8.allSatisfy { isHex($0) || $0 == UInt8(ascii: "-") }
    }

    /// The first 8 characters, as `rkt list` shows without `--full`.
    public static func short(_ uuid: String) -> String { String(uuid.prefix(8)) }

    private static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
    }
}
