/// What gpgv's status lines say about a detached signature, reduced to the cases rkt acts on.
public enum SignatureVerdict: Equatable, Sendable {
    /// A good signature by a key in the keyring; `signer` is the primary key's fingerprint.
    case good(signer: KeyFingerprint, userID: String)
    /// The signature does not match the data (a changed byte, or the wrong file).
    case bad(keyID: String, userID: String)
    /// The signing key has expired; gpgv calls the signature good but rkt refuses it.
    case expiredKey(keyID: String, signer: KeyFingerprint?, userID: String)
    /// The signing key is revoked.
    case revokedKey(keyID: String, signer: KeyFingerprint?, userID: String)
    /// The signature itself has expired.
    case expiredSignature(keyID: String, signer: KeyFingerprint?)
    /// No key in the keyring made the signature: the signer is not trusted for this image.
    case unknownKey(keyID: String, fingerprint: String?)
    /// Anything else: no signature at all, several signatures, an unsupported algorithm, a garbled file.
    case unverifiable(reason: String)

    public var isGood: Bool {
        if case .good = self { return true }
        return false
    }
}
