/// How HTTPS servers are verified: against the system's CA store plus the certificates of rkt's `certs.d`
/// directories, or not at all (`--insecure-options=tls`).
public struct TLSOptions: Equatable, Sendable {
    /// `--insecure-options=tls`: accept any server certificate and host name.
    public var skipVerification: Bool
    /// CA certificates trusted in addition to the system store.
    public var additionalCertificates: CertificateBundle

    public init(skipVerification: Bool = false, additionalCertificates: CertificateBundle = CertificateBundle()) {
        self.skipVerification = skipVerification
        self.additionalCertificates = additionalCertificates
    }
}
