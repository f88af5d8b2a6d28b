import Foundation

/// appc discovery (appc spec discovery.md): for an image name such as `example.com/reduce-worker`, fetch
/// `https://example.com/reduce-worker?ac-discovery=1` (then the same for each shorter prefix of the name),
/// read the `<meta name="ac-discovery" content="PREFIX TEMPLATE">` and `ac-discovery-pubkeys` tags whose
/// prefix starts the name, and fill a template's `{name}`, `{version}`, `{os}`, `{arch}`, `{ext}`.
public struct AppcDiscovery {
    public struct Endpoints: Equatable, Sendable {
        public let aci: String
        public let signature: String
        public let publicKeys: [String]
    }

    public let downloader: HTTPDownloader
    static let pageLimit = 1 << 20

    public init(downloader: HTTPDownloader) {
        self.downloader = downloader
    }

    /// `labels`: at least `version` (default `latest`), `os`, `arch` (defaults linux/amd64).
    public func discover(name: String, labels: [String: String]) throws -> Endpoints {
        var values = labels
        values["name"] = name
        values["version"] = values["version"] ?? "latest"
        values["os"] = values["os"] ?? "linux"
        values["arch"] = values["arch"] ?? "amd64"
        let scheme = downloader.allowHTTP ? "http" : "https"
        var components = name.split(separator: "/").map(String.init)
        var tried: [String] = []
        while !components.isEmpty {
            let url = "\(scheme)://" + components.joined(separator: "/") + "?ac-discovery=1"
            tried.append(url)
            components.removeLast()
            guard let page = try discoveryPage(url) else { continue }
            let tags = Self.metaTags(in: String(decoding: page, as: UTF8.self))
            let keys = tags.filter { $0.name == "ac-discovery-pubkeys" && name.hasPrefix($0.prefix) }.map(\.value)
            for tag in tags where tag.name == "ac-discovery" && name.hasPrefix(tag.prefix) {
                var aciValues = values
                aciValues["ext"] = "aci"
                var signatureValues = values
                signatureValues["ext"] = "aci.asc"
                if let aci = Self.fill(tag.value, aciValues), let signature = Self.fill(tag.value, signatureValues) {
                    return Endpoints(aci: aci, signature: signature, publicKeys: keys)
                }
            }
        }
        throw FetchError.invalidSource(name, reason: "appc discovery found no usable ac-discovery template (tried \(tried.joined(separator: ", ")))")
    }

    /// The `ac-discovery-pubkeys` URLs for `name` (an image name or a prefix), from the first discovery page,
    /// walking up the name as `discover` does, that lists keys for it.
    public func discoverPublicKeys(name: String) throws -> [String] {
        let scheme = downloader.allowHTTP ? "http" : "https"
        var components = name.split(separator: "/").map(String.init)
        var tried: [String] = []
        while !components.isEmpty {
            let url = "\(scheme)://" + components.joined(separator: "/") + "?ac-discovery=1"
            tried.append(url)
            components.removeLast()
            guard let page = try discoveryPage(url) else { continue }
            let keys = Self.metaTags(in: String(decoding: page, as: UTF8.self))
                .filter { $0.name == "ac-discovery-pubkeys" && name.hasPrefix($0.prefix) }.map(\.value)
            if !keys.isEmpty { return keys }
        }
        throw FetchError.invalidSource(name, reason: "appc discovery found no ac-discovery-pubkeys for it (tried \(tried.joined(separator: ", ")))")
    }

    /// A discovery page, or nil when the server has none (404, an error answer, no connection): discovery then
    /// tries the next shorter prefix. An untrusted certificate or a plain-HTTP server ends discovery with its
    /// error, which says what to do.
    private func discoveryPage(_ url: String) throws -> [UInt8]? {
        do {
            return try downloader.get(url, limit: Self.pageLimit)
        } catch let error as FetchError {
            switch error {
            case .untrustedCertificate, .plainHTTPServer: throw error
            default: return nil
            }
        } catch {
            return nil
        }
    }

    /// A template with every `{label}` replaced, or nil when one has no value.
    static func fill(_ template: String, _ values: [String: String]) -> String? {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { return nil }
            let key = String(rest[rest.index(after: open)..<close])
            guard let value = values[key] else { return nil }
            out += value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    struct MetaTag: Equatable {
        let name: String
        let prefix: String
        let value: String
    }

    /// `<meta name="…" content="PREFIX VALUE">` tags (attribute order free, single or double quotes).
    static func metaTags(in html: String) -> [MetaTag] {
        var tags: [MetaTag] = []
        var rest = Substring(html)
        while let start = rest.range(of: "<meta", options: .caseInsensitive) {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let attributes = Self.attributes(rest[start.upperBound..<end])
            rest = rest[rest.index(after: end)...]
            guard let name = attributes["name"], let content = attributes["content"] else { continue }
            let parts = content.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2 else { continue }
            tags.append(MetaTag(name: name, prefix: String(parts[0]), value: String(parts[1])))
        }
        return tags
    }

    private static func attributes(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = text
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "/" })
            guard let equals = rest.firstIndex(of: "=") else { return result }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...].drop(while: { $0 == " " })
            guard let quote = rest.first, quote == "\"" || quote == "'" else { return result }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote) else { return result }
            result[key] = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
        }
    }
}
