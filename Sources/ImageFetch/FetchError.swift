/// Failures of fetching an image that are about the source rather than the image's content.
public enum FetchError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidSource(String, reason: String)
    case tagNotFound(source: String, tag: String, available: [String])
    case http(url: String, status: Int, message: String)
    case transport(url: String, reason: String)
    case authentication(registry: String, reason: String)
    /// The server's certificate did not verify (`reason`: the TLS library's words).
    case untrustedCertificate(url: String, reason: String)
    /// The TLS handshake was answered in plain HTTP (`reason`: the TLS library's words).
    case plainHTTPServer(url: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSource(source, reason): return "\(source): \(reason)"
        case let .tagNotFound(source, tag, available):
            return "\(source): no image tagged \"\(tag)\" (tags: \(available.isEmpty ? "none" : available.joined(separator: ", ")))"
        case let .http(url, status, message): return "\(url): HTTP \(status)\(message.isEmpty ? "" : ": " + message)"
        case let .transport(url, reason): return "\(url): \(reason)"
        case let .authentication(registry, reason): return "authenticating to \(registry): \(reason)"
        case let .untrustedCertificate(url, reason):
            return """
                \(url): the server's TLS certificate is not trusted (\(reason)); add the CA that signed it, in PEM, \
                to certs.d in rkt's local or system config directory, or skip the check with --insecure-options=tls
                """
        case let .plainHTTPServer(url, reason):
            return "\(url): \(reason) (the server speaks plain HTTP? add http to --insecure-options)"
        }
    }
}
