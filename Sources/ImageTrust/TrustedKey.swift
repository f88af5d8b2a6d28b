/// One file under a `trustedkeys/` directory.
public struct TrustedKey: Equatable, Sendable {
    public enum Source: String, Sendable {
        case local, system
    }

    public let fingerprint: KeyFingerprint
    public let scope: TrustScope
    public let source: Source
    public let path: String
    /// An empty file: it withdraws trust in a system key of the same fingerprint (rkt's masking).
    public let isMask: Bool

    public init(fingerprint: KeyFingerprint, scope: TrustScope, source: Source, path: String, isMask: Bool) {
        self.fingerprint = fingerprint
        self.scope = scope
        self.source = source
        self.path = path
        self.isMask = isMask
    }
}
