/// What `gpg --with-colons --show-keys` says about one primary key (GnuPG doc/DETAILS, "Format of the
/// colon listings"): fingerprint, validity, expiry and user IDs.
public struct PublicKeyDescription: Equatable, Sendable {
    public var fingerprint: KeyFingerprint
    public var userIDs: [String]
    /// Field 2 of the `pub` record: `r` revoked, `e` expired, others (`-`, `u`, `f`, …) usable.
    public var validity: String
    /// Seconds since the epoch when the key expires, nil when it does not.
    public var expires: Int64?
    /// The public key algorithm number (1 RSA, 17 DSA, 22 EdDSA, …).
    public var algorithm: Int

    public init(fingerprint: KeyFingerprint, userIDs: [String], validity: String, expires: Int64?, algorithm: Int) {
        self.fingerprint = fingerprint
        self.userIDs = userIDs
        self.validity = validity
        self.expires = expires
        self.algorithm = algorithm
    }

    public var isRevoked: Bool { validity == "r" }
    public var isExpired: Bool { validity == "e" }

    /// Parses a colon listing into one description per primary key. `uid` records are percent/backslash
    /// escaped by GnuPG (`\x3a` for a colon); the escapes are decoded.
    public static func parse(colonListing: String) -> [PublicKeyDescription] {
        var keys: [PublicKeyDescription] = []
        var current: PublicKeyDescription?
        var awaitingPrimaryFingerprint = false
        var pending: (validity: String, expires: Int64?, algorithm: Int)?
        for line in colonListing.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard let type = fields.first else { continue }
            switch type {
            case "pub":
                if let current { keys.append(current) }
                current = nil
                pending = (field(fields, 1), Int64(field(fields, 6)), Int(field(fields, 3)) ?? 0)
                awaitingPrimaryFingerprint = true
            case "fpr" where awaitingPrimaryFingerprint:
                awaitingPrimaryFingerprint = false
                if let pending, let fingerprint = try? KeyFingerprint(field(fields, 9)) {
                    current = PublicKeyDescription(fingerprint: fingerprint, userIDs: [], validity: pending.validity,
                                                   expires: pending.expires, algorithm: pending.algorithm)
                }
            case "uid":
                current?.userIDs.append(unescape(field(fields, 9)))
            case "sub":
                awaitingPrimaryFingerprint = false
            default:
                continue
            }
        }
        if let current { keys.append(current) }
        return keys
    }

    private static func field(_ fields: [String], _ index: Int) -> String {
        index < fields.count ? fields[index] : ""
    }

    /// Decodes GnuPG's `\xHH` escapes in colon-listing strings.
    static func unescape(_ text: String) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count, utf8[index + 1] == UInt8(ascii: "x"),
               let value = UInt8(String(decoding: utf8[index + 2...index + 3], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
