import Foundation

/// A GET request: the URL and the header fields to send (the transport adds nothing but Host and User-Agent).
struct HTTPRequest {
    var url: URL
    private(set) var headers: [(name: String, value: String)] = []

    init(url: URL) {
        self.url = url
    }

    /// Sets `name` to `value`, replacing an earlier value of the same field (names compare case-insensitively).
    mutating func setValue(_ value: String, forHTTPHeaderField name: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }

    func value(forHTTPHeaderField name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
