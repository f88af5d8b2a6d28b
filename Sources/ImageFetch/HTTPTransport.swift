import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange at a time over URLSession, synchronously, with the body handed over chunk by chunk
/// as it arrives (so a layer streams to disk and a document can be cut off at its size limit).
final class HTTPTransport: NSObject, URLSessionDataDelegate, @unchecked Sendable {
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
    static let maximumRedirects = 10
    private let lock = NSLock()
    private var sink: ((Int, Data) throws -> Void)?
    private var response: HTTPURLResponse?
    private var failure: Error?
    /// Set when URLSession handed a 401 over as an authentication challenge.
    private var challenged = false
    private var done = DispatchSemaphore(value: 0)

    init(timeout: Double, allowHTTP: Bool) {
        self.timeout = timeout
        self.allowHTTP = allowHTTP
    }

    /// Performs `request`; `body` receives the status and the response body in chunks (for every status, so
    /// error bodies can be read too). Throws on transport errors and on errors `body` throws.
    func perform(_ request: URLRequest, body: @escaping (Int, Data) throws -> Void) throws -> Response {
        var current = request
        for _ in 0...Self.maximumRedirects {
            let response = try performOnce(current, body: body)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") else {
                return response
            }
            let from = current.url?.absoluteString ?? ""
            guard let next = URL(string: location, relativeTo: current.url)?.absoluteURL, let scheme = next.scheme,
                  scheme == "https" || (scheme == "http" && allowHTTP) else {
                throw FetchError.transport(url: from, reason: "refusing the redirect to \(location)")
            }
            var redirected = URLRequest(url: next)
            for (field, value) in current.allHTTPHeaderFields ?? [:] {
                // Credentials go only to the host they were meant for (registries redirect blobs to storage).
                if field.caseInsensitiveCompare("Authorization") == .orderedSame,
                   next.host != current.url?.host || next.port != current.url?.port { continue }
                redirected.setValue(value, forHTTPHeaderField: field)
            }
            current = redirected
        }
        throw FetchError.transport(url: request.url?.absoluteString ?? "", reason: "more than \(Self.maximumRedirects) redirects")
    }

    /// One exchange; redirects come back as their 3xx response (see `willPerformHTTPRedirection`).
    private func performOnce(_ request: URLRequest, body: @escaping (Int, Data) throws -> Void) throws -> Response {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        lock.withLock {
            sink = body
            response = nil
            failure = nil
            challenged = false
            done = DispatchSemaphore(value: 0)
        }
        let task = session.dataTask(with: request)
        task.resume()
        lock.withLock { done }.wait()
        return try lock.withLock {
            sink = nil
            if let failure { throw failure }
            guard let response else {
                throw FetchError.transport(url: request.url?.absoluteString ?? "", reason: "no response")
            }
            var headers: [String: String] = [:]
            for (key, value) in response.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key] = value }
            }
            return Response(status: response.statusCode, headers: headers, url: response.url ?? request.url!)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { self.response = response as? HTTPURLResponse }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let (sink, status) = lock.withLock { (self.failure == nil ? self.sink : nil, self.response?.statusCode ?? 0) }
        do {
            try sink?(status, data)
        } catch {
            lock.withLock { if self.failure == nil { self.failure = error } }
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.withLock {
            if let error, failure == nil, !(challenged && response?.statusCode == 401) {
                failure = FetchError.transport(url: task.originalRequest?.url?.absoluteString ?? "", reason: error.localizedDescription)
            }
            done.signal()
        }
    }

    /// Registry authentication is answered by `RegistryClient` from the 401 itself. swift-corelibs-foundation
    /// turns a 401 carrying a `Basic` challenge into this callback (and stalls on default handling), so the
    /// 401 is taken from the challenge and the challenge cancelled; the exchange then ends as that 401.
    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        lock.withLock {
            if let failure = challenge.failureResponse as? HTTPURLResponse { response = failure }
            challenged = true
        }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    /// Redirects are followed by `perform` (URLSession on Linux resolves relative locations wrongly and
    /// would forward credentials to any host).
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
