import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LinuxSupport

/// Plain HTTP(S) GETs for https:// ACIs, their signatures and appc discovery: bounded, retried on
/// transport errors and 5xx answers, plain HTTP only when allowed (`--insecure-options=http`).
public struct HTTPDownloader {
    public var allowHTTP: Bool
    public var attempts = 3

    public init(allowHTTP: Bool) {
        self.allowHTTP = allowHTTP
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
        return status == 404 ? nil : bytes
    }

    /// Streams `url` into a new file at `path` (at most `limit` bytes). 404 is an error naming the URL.
    public func download(_ url: String, to path: String, limit: Int64, progress: @escaping (Int64) -> Void = { _ in }) throws {
        let fd = try retryingOnInterrupt("open", path: path) { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640) }
        defer { close(fd) }
        var written: Int64 = 0
        let status = try request(url) { data in
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
        if status == 404 { throw FetchError.http(url: url, status: 404, message: "not found") }
        try retryingOnInterrupt("fsync", path: path) { fsync(fd) }
    }

    /// Performs the GET; returns 200 or 404, throws for any other answer. `reset` runs before a retry.
    private func request(_ url: String, body: @escaping (Data) throws -> Void, reset: () -> Void) throws -> Int {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw FetchError.invalidSource(url, reason: "not an http(s) URL")
        }
        guard scheme == "https" || allowHTTP else {
            throw FetchError.invalidSource(url, reason: "plain HTTP is refused (allow it with --insecure-options=http)")
        }
        let transport = HTTPTransport(timeout: 60, allowHTTP: allowHTTP)
        var attempt = 0
        while true {
            attempt += 1
            var errorBody = Data()
            do {
                let response = try transport.perform(URLRequest(url: parsed)) { status, data in
                    if status == 200 { try body(data) } else if errorBody.count < 4096 { errorBody.append(data.prefix(4096)) }
                }
                if response.status == 200 || response.status == 404 { return response.status }
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
