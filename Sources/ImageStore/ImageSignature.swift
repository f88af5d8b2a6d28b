/// A detached signature that was verified for an image being imported: kept in the store beside the blob
/// so `rkt image verify` can check it again later.
public struct ImageSignature: Sendable {
    /// Fingerprint (lowercase hex) of the trusted key that made the signature.
    public let signer: String
    /// The signature file's bytes as fetched (armored or binary).
    public let signature: [UInt8]

    public init(signer: String, signature: [UInt8]) {
        self.signer = signer
        self.signature = signature
    }
}
