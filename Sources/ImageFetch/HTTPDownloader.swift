import Foundation
import LinuxSupport

/// Plain HTTP(S) GETs for https:// ACIs, their signatures, appc discovery and `rkt trust` key URLs: bounded,
/// retried on transport errors and 5xx answers, plain HTTP only when allowed (`--insecure-options=http`),
/// servers verified as `tls` says. The downloader's requests share one connection cache.
public struct HTTPDownloader {
    public let allowHTTP: Bool
    public let tls: TLSOptions
    public var attempts = 3
    private let transport: HTTPTransport

    public init(allowHTTP: Bool, tls: TLSOptions = TLSOptions()) {
        self.allowHTTP = allowHTTP
        self.tls = tls
        transport = HTTPTransport(timeout: 60, allowHTTP: allowHTTP, tls: tls)
    }

    /// The body of `url` (at most `limit` bytes), or nil when the server answers 404.
    public func get(_ url: String, limit: Int) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        let status = try request(url) { data in
            bytes += data
            guard bytes.count <= limit else { throw FetchError.invalidSource(url, reason: "answer larger than \(limit) bytes") }
        } reset: {
            bytes.removeAll()
        }
        return status.status == 404 ? nil : bytes
    }

    /// What a download learned about caching the resource.
    public struct Download: Sendable {
        /// False when the server answered 304 to the conditional headers: nothing was written.
        public let modified: Bool
        public let etag: String?
        /// `Cache-Control: max-age` in seconds, nil when absent (or `no-cache` / `no-store`: 0).
        public let maxAge: Int?
    }

    /// Streams `url` into a new file at `path` (at most `limit` bytes). 404 is an error naming the URL.
    /// `etag`: sent as `If-None-Match`; a 304 answer leaves the file empty and says so.
    @discardableResult
    public func download(_ url: String, to path: String, limit: Int64, etag: String? = nil,
                         progress: @escaping (Int64) -> Void = { _ in }) throws -> Download {
        let fd = try retryingOnInterrupt("open", path: path) { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640) }
        defer { close(fd) }
        var written: Int64 = 0
        let response = try request(url, headers: etag.map { ["If-None-Match": $0] } ?? [:]) { data in
            written += Int64(data.count)
            guard written <= limit else { throw FetchError.invalidSource(url, reason: "larger than \(limit) bytes") }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let count = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        throw SystemError.current("write", path: path)
                    }
                    offset += count
                }
            }
            progress(written)
        } reset: {
            written = 0
            _ = ftruncate(fd, 0)
            _ = lseek(fd, 0, SEEK_SET)
        }
        if response.status == 404 { throw FetchError.http(url: url, status: 404, message: "not found") }
        try retryingOnInterrupt("fsync", path: path) { fsync(fd) }
        return Download(modified: response.status != 304, etag: response.header("ETag"),
                        maxAge: Self.maxAge(response.header("Cache-Control")))
    }

    /// `max-age=N` of a Cache-Control header; `no-cache`/`no-store` count as 0.
    static func maxAge(_ header: String?) -> Int? {
        guard let header else { return nil }
        var age: Int?
        for directive in header.lowercased().split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if directive == "no-cache" || directive == "no-store" { return 0 }
            if directive.hasPrefix("max-age="), let value = Int(directive.dropFirst("max-age=".count)), value >= 0 { age = value }
        }
        return age
    }

    /// Performs the GET; returns a 200, 304 or 404 answer, throws for any other. `reset` runs before a retry.
    private func request(_ url: String, headers: [String: String] = [:], body: (Data) throws -> Void,
                         reset: () -> Void) throws -> HTTPTransport.Response {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw FetchError.invalidSource(url, reason: "not an http(s) URL")
        }
        guard scheme == "https" || allowHTTP else {
            throw FetchError.invalidSource(url, reason: "plain HTTP is refused (allow it with --insecure-options=http)")
        }
        var attempt = 0
        while true {
            attempt += 1
            var errorBody = Data()
            do {
                var request = HTTPRequest(url: parsed)
                for (field, value) in headers { request.setValue(value, forHTTPHeaderField: field) }
                let response = try transport.perform(request) { status, data in
                    if status == 200 { try body(data) } else if errorBody.count < 4096 { errorBody.append(data.prefix(4096)) }
                }
                if [200, 304, 404].contains(response.status) { return response }
                if response.status >= 500 && attempt < attempts {
                    reset()
                    Thread.sleep(forTimeInterval: 0.5 * Double(attempt))
                    continue
                }
                throw FetchError.http(url: url, status: response.status,
                                      message: String(decoding: errorBody.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            } catch let error as FetchError {
                guard case .transport = error, attempt < attempts else { throw error }
                reset()
                Thread.sleep(forTimeInterval: 0.5 * Double(attempt))
            }
        }
    }
}
