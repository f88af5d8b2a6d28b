import ImageFetch

/// How HTTPS servers are verified: the system's CA store plus the PEM certificates (`*.pem`, `*.crt`) of
/// `certs.d` in the system, local and user config directories (found as `auth.d` is), unless
/// `--insecure-options=tls` turns verification off. Read only by commands that go to the network.
extension GlobalOptions {
    var certificateDirectories: [String] {
        ([systemConfig, localConfig] + (userConfig.isEmpty ? [] : [userConfig])).map { $0 + "/certs.d" }
    }

    func tlsOptions() throws -> TLSOptions {
        let certificates: CertificateBundle
        do {
            certificates = try CertificateBundle(directories: certificateDirectories)
        } catch {
            throw CommandFailure(message: "configuration: \(error)")
        }
        if !certificates.isEmpty {
            debugLog("trusting \(certificates.count) CA certificate(s) from \(certificates.files.joined(separator: ", ")) besides the system store")
        }
        if insecure.skipTLSVerification {
            debugLog("TLS certificates are not verified (--insecure-options=tls)")
        }
        return TLSOptions(skipVerification: insecure.skipTLSVerification, additionalCertificates: certificates)
    }
}
