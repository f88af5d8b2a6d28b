/// The machine-readable status lines gpgv writes with `--status-fd` (GnuPG doc/DETAILS, "Format of the
/// status codes"): `[GNUPG:] KEYWORD ARGS…`, one per line. Only the lines about signatures are kept.
public struct GnuPGStatusReport: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public let keyword: String
        public let arguments: [String]
        /// Everything after the keyword, for keywords whose last argument is free text (a user ID).
        public let rest: String
    }

    public let lines: [Line]

    public init(parsing text: String) {
        var lines: [Line] = []
        for raw in text.split(separator: "\n") {
            guard raw.hasPrefix("[GNUPG:] ") else { continue }
            let body = raw.dropFirst("[GNUPG:] ".count)
            let parts = body.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let keyword = parts.first else { continue }
            let rest = body.dropFirst(keyword.count).drop { $0 == " " }
            lines.append(Line(keyword: keyword, arguments: Array(parts.dropFirst()), rest: String(rest)))
        }
        self.lines = lines
    }

    private func first(_ keyword: String) -> Line? { lines.first { $0.keyword == keyword } }

    /// The user ID text of a `GOODSIG`/`BADSIG`/`EXPKEYSIG`/`REVKEYSIG` line: everything after the key ID.
    private static func userID(_ line: Line) -> String {
        guard let keyID = line.arguments.first else { return "" }
        return String(line.rest.dropFirst(keyID.count).drop { $0 == " " })
    }

    /// The primary key fingerprint from `VALIDSIG` (its tenth argument; older GnuPG omit it, then the
    /// signing key's fingerprint, the first argument, is used).
    private var validSigner: KeyFingerprint? {
        guard let line = first("VALIDSIG") else { return nil }
        if line.arguments.count >= 10, let primary = try? KeyFingerprint(line.arguments[9]) { return primary }
        return line.arguments.first.flatMap { try? KeyFingerprint($0) }
    }

    /// The verdict. Exactly one signature is accepted; a good one needs both `GOODSIG` and `VALIDSIG`, and no
    /// line saying the key or signature is expired, revoked or bad.
    public var verdict: SignatureVerdict {
        let signatures = lines.filter { $0.keyword == "NEWSIG" }.count
        if signatures > 1 {
            return .unverifiable(reason: "the signature file holds \(signatures) signatures; rkt accepts exactly one")
        }
        if let line = first("BADSIG") {
            return .bad(keyID: line.arguments.first ?? "", userID: Self.userID(line))
        }
        if let line = first("REVKEYSIG") {
            return .revokedKey(keyID: line.arguments.first ?? "", signer: validSigner, userID: Self.userID(line))
        }
        if let line = first("EXPKEYSIG") {
            return .expiredKey(keyID: line.arguments.first ?? "", signer: validSigner, userID: Self.userID(line))
        }
        if let line = first("EXPSIG") {
            return .expiredSignature(keyID: line.arguments.first ?? "", signer: validSigner)
        }
        if let line = first("ERRSIG") {
            let keyID = line.arguments.first ?? ""
            let code = line.arguments.count > 5 ? line.arguments[5] : ""
            let fingerprint = line.arguments.count > 6 && line.arguments[6] != "-" ? line.arguments[6] : nil
            if code == "9" || first("NO_PUBKEY") != nil {
                return .unknownKey(keyID: keyID, fingerprint: fingerprint)
            }
            return .unverifiable(reason: code == "4"
                ? "the signature uses an algorithm gpgv does not support"
                : "gpgv could not check the signature (error code \(code))")
        }
        if let line = first("NO_PUBKEY") {
            return .unknownKey(keyID: line.arguments.first ?? "", fingerprint: nil)
        }
        if let good = first("GOODSIG"), let signer = validSigner {
            return .good(signer: signer, userID: Self.userID(good))
        }
        if signatures == 0 {
            return .unverifiable(reason: "no OpenPGP signature found")
        }
        return .unverifiable(reason: "gpgv did not report a valid signature")
    }
}
