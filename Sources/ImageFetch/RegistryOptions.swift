import Foundation

/// How to talk to docker registries: transport security relaxations the user chose and credentials.
public struct RegistryOptions: Sendable {
    /// `--insecure-options=http`: talk plain HTTP.
    public var allowHTTP = false
    /// How HTTPS registries (and token servers) are verified: system store + certs.d, or not at all.
    public var tls = TLSOptions()
    /// `--insecure-options=tls`: accept any server certificate.
    public var skipTLSVerification: Bool {
        get { tls.skipVerification }
        set { tls.skipVerification = newValue }
    }
    /// Basic credentials by registry host (`auth.d` dockerAuth entries).
    public var credentials: [String: RegistryCredentials] = [:]
    /// Attempts per request on transport errors and 5xx answers (a layer download resumes where it stopped).
    public var attempts = 3
    /// Seconds without progress before a request fails.
    public var timeout: Double = 60

    public init(allowHTTP: Bool = false, skipTLSVerification: Bool = false, credentials: [String: RegistryCredentials] = [:]) {
        self.allowHTTP = allowHTTP
        tls.skipVerification = skipTLSVerification
        self.credentials = credentials
    }
}

/// A user name and password for HTTP basic authentication (or to obtain a bearer token).
public struct RegistryCredentials: Equatable, Sendable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    var basicHeader: String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}
