import CCurl

/// Request header lines in the `curl_slist` libcurl reads them from, freed with the list. A name or value that
/// could break the request (CR, LF or NUL; a colon or space in the name) is refused.
final class CurlHeaderList {
    private(set) var list: UnsafeMutablePointer<curl_slist>?

    init(_ headers: [(name: String, value: String)]) throws {
        for (name, value) in headers {
            guard !name.isEmpty, !name.utf8.contains(where: { $0 <= 0x20 || $0 == UInt8(ascii: ":") || $0 >= 0x7F }),
                  !value.utf8.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }) else {
                throw FetchError.invalidSource(name, reason: "refusing a request header with control characters")
            }
            guard let appended = curl_slist_append(list, "\(name): \(value)") else {
                throw FetchError.invalidSource(name, reason: "curl_slist_append failed")
            }
            list = appended
        }
    }

    deinit {
        curl_slist_free_all(list)
    }
}
