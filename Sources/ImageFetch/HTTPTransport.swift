import Foundation

/// One HTTP(S) exchange at a time over libcurl, synchronously, with the body handed over chunk by chunk as it
/// arrives (so a layer streams to disk and a document can be cut off at its size limit; curl reads no further
/// than the chunk being handed over). Every status comes back as a response, 401 with its headers included.
/// Redirects are followed here, not by curl (credentials stay with their host, http only when allowed).
/// One curl handle per transport keeps connections alive between requests.
final class HTTPTransport {
    struct Response {
        let status: Int
        let headers: [String: String]
        let url: URL

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    private let timeout: Double
    /// Redirects to plain HTTP are followed only when plain HTTP is allowed.
    private let allowHTTP: Bool
    private let tls: TLSOptions
    static let maximumRedirects = 10
    /// Bytes of response header lines one exchange may send before it is abandoned.
    static let maximumHeaderBytes = 256 << 10
    private var easy: CurlEasy?
    /// The system store followed by the certs.d certificates (built once); inner nil: curl's default CA file.
    private var certificateAuthorities: [UInt8]??

    /// `timeout`: seconds to connect, and seconds a transfer may go without receiving a byte.
    init(timeout: Double, allowHTTP: Bool, tls: TLSOptions = TLSOptions()) {
        self.timeout = timeout
        self.allowHTTP = allowHTTP
        self.tls = tls
    }

    /// Performs `request`; `body` receives the status and the response body in chunks (for every status, so
    /// error bodies can be read too). Throws on transport errors and on errors `body` throws.
    func perform(_ request: HTTPRequest, body: (Int, Data) throws -> Void) throws -> Response {
        var current = request
        for _ in 0...Self.maximumRedirects {
            let response = try performOnce(current, body: body)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") else {
                return response
            }
            let from = current.url.absoluteString
            guard let next = URL(string: location, relativeTo: current.url)?.absoluteURL, let scheme = next.scheme,
                  scheme == "https" || (scheme == "http" && allowHTTP) else {
                throw FetchError.transport(url: from, reason: "refusing the redirect to \(location)")
            }
            var redirected = HTTPRequest(url: next)
            for (field, value) in current.headers {
                // Credentials go only to the host they were meant for (registries redirect blobs to storage).
                if field.caseInsensitiveCompare("Authorization") == .orderedSame,
                   next.host != current.url.host || next.port != current.url.port { continue }
                redirected.setValue(value, forHTTPHeaderField: field)
            }
            current = redirected
        }
        throw FetchError.transport(url: request.url.absoluteString, reason: "more than \(Self.maximumRedirects) redirects")
    }

    /// One exchange; a redirect comes back as its 3xx response.
    private func performOnce(_ request: HTTPRequest, body: (Int, Data) throws -> Void) throws -> Response {
        let url = request.url.absoluteString
        let easy = try handle()
        let transfer = CurlEasy.Transfer(
            url: url, headers: try CurlHeaderList(request.headers), timeout: timeout,
            verifyPeer: !tls.skipVerification, certificateAuthorities: tls.skipVerification ? nil : authorities(easy))
        var headers = ResponseHeaders(url: url)
        do {
            let status = try easy.perform(transfer, header: { try headers.add(line: $0) }, body: { chunk in
                try body(headers.status, Data(chunk))
            })
            return Response(status: status, headers: headers.fields, url: request.url)
        } catch let failure as CurlEasy.Failure {
            if failure.isCertificateProblem { throw FetchError.untrustedCertificate(url: url, reason: failure.reason) }
            if failure.isPlainHTTPAnswer { throw FetchError.plainHTTPServer(url: url, reason: failure.reason) }
            throw FetchError.transport(url: url, reason: failure.reason)
        }
    }

    private func handle() throws -> CurlEasy {
        if let easy { return easy }
        do {
            let created = try CurlEasy()
            easy = created
            return created
        } catch {
            throw FetchError.transport(url: "", reason: "\(error)")
        }
    }

    /// With certs.d certificates: the system's CA file (curl's built-in path) followed by them, since a CA
    /// blob given to curl replaces its CA file. Without: nil, and curl reads its CA file itself.
    private func authorities(_ easy: CurlEasy) -> [UInt8]? {
        if let built = certificateAuthorities { return built }
        var bytes: [UInt8]?
        if !tls.additionalCertificates.isEmpty {
            let system = easy.defaultCertificateFile ?? "/etc/ssl/certs/ca-certificates.crt"
            var combined = FileManager.default.contents(atPath: system).map { [UInt8]($0) } ?? []
            if let last = combined.last, last != UInt8(ascii: "\n") { combined.append(UInt8(ascii: "\n")) }
            combined += Array(tls.additionalCertificates.pem.utf8)
            bytes = combined
        }
        certificateAuthorities = .some(bytes)
        return bytes
    }
}
