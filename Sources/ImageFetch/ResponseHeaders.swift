import Foundation

/// The status and header fields of a response, collected from the raw lines curl hands over. A new status
/// line (after a 1xx answer) starts over; repeated fields are joined with ", "; the bytes of all lines of an
/// exchange are bounded, so a server cannot make the client hold an endless header.
struct ResponseHeaders {
    let url: String
    private(set) var status = 0
    private(set) var fields: [String: String] = [:]
    /// Lower-cased field name → the spelling first seen, the key in `fields`.
    private var names: [String: String] = [:]
    private var lastField: String?
    private var bytes = 0

    init(url: String) {
        self.url = url
    }

    mutating func add(line raw: UnsafeRawBufferPointer) throws {
        bytes += raw.count
        guard bytes <= HTTPTransport.maximumHeaderBytes else {
            throw FetchError.invalidSource(url, reason: "response headers larger than \(HTTPTransport.maximumHeaderBytes) bytes")
        }
        var end = raw.count
        while end > 0, raw[end - 1] == UInt8(ascii: "\n") || raw[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: raw[..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // "HTTP/1.1 200 OK", "HTTP/2 404"
            status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            fields = [:]
            names = [:]
            lastField = nil
        } else if let first = line.first, first == " " || first == "\t" {
            // An obsolete folded continuation of the previous field.
            if let lastField { fields[lastField, default: ""] += " " + line.trimmingCharacters(in: .whitespaces) }
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let key = names[name.lowercased()] ?? name
            names[name.lowercased()] = key
            fields[key] = fields[key].map { $0 + ", " + value } ?? value
            lastField = key
        }
    }
}
