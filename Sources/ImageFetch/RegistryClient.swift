import Foundation
import ImageStore
import OCI

/// A client of one repository on a docker registry (HTTP API v2): manifests and blobs, with bearer-token
/// (from the `WWW-Authenticate` challenge) or basic authentication, retries on transport errors and 5xx
/// answers, and layer downloads that resume with a Range request where they stopped.
final class RegistryClient {
    let reference: DockerReference
    let options: RegistryOptions
    let baseURL: String
    private let transport: HTTPTransport
    private var authorization: String?
    /// Bytes of an error body kept for the message.
    private static let errorBodyLimit = 64 << 10
    private static let tokenLimit = 1 << 20

    init(reference: DockerReference, options: RegistryOptions) throws {
        self.reference = reference
        self.options = options
        baseURL = (options.allowHTTP ? "http://" : "https://") + reference.apiHost + "/v2/" + reference.repository
        transport = HTTPTransport(timeout: options.timeout, allowHTTP: options.allowHTTP, tls: options.tls)
    }

    /// The manifest (or index) `reference` (tag or digest), at most `OCIManifest.maximumSize` bytes.
    func manifest(_ reference: String) throws -> (bytes: [UInt8], mediaType: String?) {
        var bytes: [UInt8] = []
        let response = try send(path: "/manifests/" + reference, accept: OCIMediaType.acceptedManifests.joined(separator: ", ")) { _, data in
            bytes += data
            guard bytes.count <= OCIManifest.maximumSize else {
                throw OCIError.tooLarge(document: "manifest \(reference)", limit: Int64(OCIManifest.maximumSize))
            }
        }
        try Self.expect(response, [200], url: baseURL + "/manifests/" + reference)
        let mediaType = response.header("Content-Type").map { String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces) }
        return (bytes, mediaType)
    }

    /// A small blob read whole (config, a manifest named by digest), checked against its descriptor.
    func blob(_ descriptor: OCIDescriptor, limit: Int) throws -> [UInt8] {
        guard descriptor.size <= Int64(limit) else { throw OCIError.tooLarge(document: descriptor.digest.description, limit: Int64(limit)) }
        var bytes: [UInt8] = []
        let response = try send(path: "/blobs/" + descriptor.digest.description, accept: nil) { _, data in
            bytes += data
            guard bytes.count <= limit else { throw OCIError.tooLarge(document: descriptor.digest.description, limit: Int64(limit)) }
        }
        try Self.expect(response, [200], url: baseURL + "/blobs/" + descriptor.digest.description)
        try descriptor.verify(bytes)
        return bytes
    }

    /// Streams a layer into `writer` with `Range: bytes=N-LAST`, N being where the bytes stopped: the whole
    /// blob in one request (curl hands the body over as it is written, so memory stays flat whatever the size),
    /// and after a broken transfer the rest. Attempts count only transfers that brought no new bytes. A server
    /// that ignores ranges sends the whole blob at once (accepted only from the start).
    func streamBlob(_ descriptor: OCIDescriptor, into writer: LayerWriter, progress: @escaping (Int64) -> Void) throws {
        let path = "/blobs/" + descriptor.digest.description
        var failures = 0
        while writer.bytesWritten < descriptor.size {
            let offset = writer.bytesWritten
            do {
                let response = try send(path: path, accept: nil, range: (offset, descriptor.size - 1), retries: false) { status, data in
                    guard status == 206 || offset == 0 else {
                        throw FetchError.http(url: self.baseURL + path, status: status, message: "the server ignored Range: bytes=\(offset)-")
                    }
                    try data.withUnsafeBytes { try writer.write($0) }
                    progress(writer.bytesWritten)
                }
                if response.status == 200 { return }  // the whole blob in one answer
                try Self.expect(response, [206], url: baseURL + path)
                if writer.bytesWritten == offset {
                    throw FetchError.http(url: baseURL + path, status: 206, message: "no bytes for Range: bytes=\(offset)-")
                }
            } catch let error as FetchError {
                failures = writer.bytesWritten > offset ? 1 : failures + 1
                guard failures < options.attempts, Self.isRetryable(error) else { throw error }
                Thread.sleep(forTimeInterval: 0.5 * Double(failures))
            }
        }
    }

    /// One request with authentication and (unless `retries` is false) retries. `body` sees only the bodies
    /// of successful (2xx) answers; other bodies are kept for the error message.
    private func send(path: String, accept: String?, range: (Int64, Int64)? = nil, retries: Bool = true,
                      body: (Int, Data) throws -> Void) throws -> HTTPTransport.Response {
        let url = baseURL + path
        guard let requestURL = URL(string: url) else { throw FetchError.invalidSource(url, reason: "not a valid URL") }
        var attempt = 0
        var authenticated = false
        while true {
            attempt += 1
            var request = HTTPRequest(url: requestURL)
            if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
            if let range { request.setValue("bytes=\(range.0)-\(range.1)", forHTTPHeaderField: "Range") }
            if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
            var errorBody = Data()
            do {
                let response = try transport.perform(request) { status, data in
                    if (200..<300).contains(status) {
                        try body(status, data)
                    } else if errorBody.count < Self.errorBodyLimit {
                        errorBody.append(data.prefix(Self.errorBodyLimit - errorBody.count))
                    }
                }
                if response.status == 401, !authenticated {
                    authenticated = true
                    try authenticate(response, url: url)
                    attempt -= 1
                    continue
                }
                if response.status >= 500, retries, attempt < options.attempts {
                    Thread.sleep(forTimeInterval: 0.5 * Double(attempt))
                    continue
                }
                if !(200..<300).contains(response.status) {
                    throw FetchError.http(url: url, status: response.status, message: Self.registryMessage(errorBody))
                }
                return response
            } catch let error as FetchError where retries && attempt < options.attempts && Self.isRetryable(error) {
                Thread.sleep(forTimeInterval: 0.5 * Double(attempt))
            }
        }
    }

    /// Answers a 401: basic credentials for a `Basic` challenge; for `Bearer`, a token from the realm
    /// (asked with the basic credentials when there are some).
    private func authenticate(_ response: HTTPTransport.Response, url: String) throws {
        let registry = reference.apiHost
        let credentials = options.credentials[registry] ?? options.credentials[reference.registry]
        guard let header = response.header("WWW-Authenticate"), let challenge = AuthenticationChallenge(header: header) else {
            throw FetchError.authentication(registry: registry, reason: "HTTP 401 without a WWW-Authenticate challenge")
        }
        switch challenge.scheme.lowercased() {
        case "basic":
            guard let credentials else {
                throw FetchError.authentication(registry: registry, reason: "the registry wants basic credentials; add them in auth.d (rktKind dockerAuth)")
            }
            authorization = credentials.basicHeader
        case "bearer":
            guard let realm = challenge.parameters["realm"], var components = URLComponents(string: realm),
                  ["http", "https"].contains(components.scheme ?? "") else {
                throw FetchError.authentication(registry: registry, reason: "bearer challenge without a usable realm: \(header)")
            }
            if components.scheme == "http", !options.allowHTTP {
                throw FetchError.authentication(registry: registry, reason: "token realm \(realm) is plain HTTP (allow it with --insecure-options=http)")
            }
            var query = components.queryItems ?? []
            if let service = challenge.parameters["service"] { query.append(URLQueryItem(name: "service", value: service)) }
            query.append(URLQueryItem(name: "scope", value: challenge.parameters["scope"] ?? "repository:\(reference.repository):pull"))
            components.queryItems = query
            guard let tokenURL = components.url else {
                throw FetchError.authentication(registry: registry, reason: "cannot build the token URL from \(realm)")
            }
            var request = HTTPRequest(url: tokenURL)
            if let credentials { request.setValue(credentials.basicHeader, forHTTPHeaderField: "Authorization") }
            var bytes = Data()
            let answer = try transport.perform(request) { _, data in
                bytes.append(data)
                guard bytes.count <= Self.tokenLimit else { throw FetchError.authentication(registry: registry, reason: "token answer too large") }
            }
            guard answer.status == 200 else {
                throw FetchError.authentication(registry: registry, reason: "token server \(realm) answered HTTP \(answer.status)")
            }
            guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any],
                  let token = (object["token"] as? String) ?? (object["access_token"] as? String), !token.isEmpty,
                  token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw FetchError.authentication(registry: registry, reason: "token server \(realm) sent no usable token")
            }
            authorization = "Bearer " + token
        default:
            throw FetchError.authentication(registry: registry, reason: "unsupported authentication scheme \(challenge.scheme)")
        }
    }

    private static func expect(_ response: HTTPTransport.Response, _ statuses: [Int], url: String) throws {
        guard statuses.contains(response.status) else {
            throw FetchError.http(url: url, status: response.status, message: "expected \(statuses.map(String.init).joined(separator: " or "))")
        }
    }

    private static func isRetryable(_ error: FetchError) -> Bool {
        switch error {
        case .transport: return true
        case let .http(_, status, _): return status >= 500
        default: return false
        }
    }

    /// The first `errors[].message` of a registry error body, else the body's start.
    private static func registryMessage(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
           let errors = object["errors"] as? [[String: Any]], let first = errors.first {
            return [first["code"] as? String, first["message"] as? String].compactMap { $0 }.joined(separator: ": ")
        }
        return String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
