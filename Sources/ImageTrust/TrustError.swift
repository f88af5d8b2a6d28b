/// Why a key could not be trusted or a signature could not be accepted. Every case names what failed.
public enum TrustError: Error, CustomStringConvertible, Equatable {
    /// gpg or gpgv is not installed (or not executable) at any searched location.
    case toolMissing(tool: String, searched: [String])
    /// A GnuPG program ran but failed in a way that is not a verdict on the signature.
    case toolFailed(tool: String, status: Int32, message: String)
    /// A key file holds no OpenPGP public key, or more than one.
    case invalidKeyFile(path: String, reason: String)
    /// The key itself is revoked or expired and will not be trusted.
    case unusableKey(path: String, fingerprint: String, reason: String)
    /// `--prefix` is not an AC identifier.
    case invalidPrefix(String)
    /// A fingerprint argument is not 40 (v4) or 64 (v5) hex digits.
    case invalidFingerprint(String)
    /// No trusted key has that fingerprint in the local configuration.
    case keyNotTrusted(fingerprint: String)
    /// A trusted key file's name does not match the fingerprint of the key inside it.
    case keyFileMismatch(path: String, fingerprint: String)
    /// The signature file is missing, empty, too large or not a signature.
    case invalidSignature(path: String, reason: String)

    public var description: String {
        switch self {
        case let .toolMissing(tool, searched):
            return "\(tool) not found (looked in \(searched.joined(separator: ", "))); install the Debian package gpgv / gnupg"
        case let .toolFailed(tool, status, message):
            return "\(tool) failed (exit status \(status)): \(message)"
        case let .invalidKeyFile(path, reason):
            return "key file \(path): \(reason)"
        case let .unusableKey(path, fingerprint, reason):
            return "key file \(path): key \(fingerprint) is \(reason)"
        case let .invalidPrefix(prefix):
            return "--prefix: \"\(prefix)\" is not a valid AC identifier (example.com/app)"
        case let .invalidFingerprint(text):
            return "\"\(text)\" is not a key fingerprint (40 or 64 hex digits)"
        case let .keyNotTrusted(fingerprint):
            return "no trusted key \(fingerprint) in the local configuration"
        case let .keyFileMismatch(path, fingerprint):
            return "trusted key file \(path) holds key \(fingerprint), not the one its name says"
        case let .invalidSignature(path, reason):
            return "signature \(path): \(reason)"
        }
    }
}
