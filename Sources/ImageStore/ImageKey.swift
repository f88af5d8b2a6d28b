/// rkt's store key for an image: `sha512-` followed by the first 64 hex digits (256 bits) of the SHA-512 of the
/// uncompressed ACI tar. Full appc image IDs (128 hex digits) and any shorter prefix resolve to it.
public enum ImageKey {
    public static let prefix = "sha512-"
    public static let hexLength = 64
    /// What `rkt image list` prints without `--full`.
    public static let shortHexLength = 12

    public static func key(fromSHA512Hex hex: String) -> String {
        prefix + hex.lowercased().prefix(hexLength)
    }

    public static func short(_ key: String) -> String {
        String(key.prefix(prefix.count + shortHexLength))
    }

    /// The lowercase hex digits of an ID or ID prefix such as `sha512-AB12`, or nil if it is not one.
    /// A full 128-digit appc ID is truncated to the store's 64 digits.
    public static func hexPrefix(of reference: String) -> String? {
        guard reference.lowercased().hasPrefix(prefix) else { return nil }
        let hex = reference.dropFirst(prefix.count).lowercased()
        guard !hex.isEmpty, hex.count <= 128, hex.allSatisfy(\.isHexDigit) else { return nil }
        return String(hex.prefix(hexLength))
    }
}
