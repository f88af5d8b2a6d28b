/// `[REGISTRY/]NAME[:TAG|@DIGEST]` as docker writes image references. A first component with a `.` or `:`,
/// or `localhost`, is a registry; otherwise the image is on Docker Hub, where one-component names live
/// under `library/`.
public struct DockerReference: Equatable, Sendable, CustomStringConvertible {
    /// Host[:port] as written (`docker.io` for Docker Hub).
    public var registry: String
    /// Repository path, e.g. `library/busybox`.
    public var repository: String
    public var tag: String?
    public var digest: OCIDigest?

    public static let dockerHub = "docker.io"
    /// Where Docker Hub's API answers.
    public static let dockerHubAPI = "registry-1.docker.io"

    public init(parsing text: String) throws {
        guard !text.isEmpty, text.utf8.count <= 1024 else { throw OCIError.invalidReference(text, reason: "empty or too long") }
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            digest = try OCIDigest(String(rest[rest.index(after: at)...]))
            rest = rest[..<at]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let last = components.last, let colon = last.lastIndex(of: ":") {
            let tag = String(last[last.index(after: colon)...])
            guard Self.isValidTag(tag) else { throw OCIError.invalidReference(text, reason: "invalid tag \"\(tag)\"") }
            self.tag = tag
            components[components.count - 1] = String(last[..<colon])
        }
        if components.count > 1, components[0].contains(".") || components[0].contains(":") || components[0] == "localhost" {
            registry = components.removeFirst()
            guard Self.isValidHost(registry) else { throw OCIError.invalidReference(text, reason: "invalid registry \"\(registry)\"") }
        } else {
            registry = Self.dockerHub
        }
        if registry == Self.dockerHub, components.count == 1 { components.insert("library", at: 0) }
        for component in components where !Self.isValidPathComponent(component) {
            throw OCIError.invalidReference(text, reason: "invalid repository component \"\(component)\" (lowercase letters, digits and . _ - only)")
        }
        repository = components.joined(separator: "/")
        if tag == nil && digest == nil { tag = "latest" }
    }

    /// The host name the registry API is reached at.
    public var apiHost: String { registry == Self.dockerHub ? Self.dockerHubAPI : registry }

    /// The tag or digest to ask the registry for.
    public var manifestReference: String { digest?.description ?? tag ?? "latest" }

    public var description: String {
        (registry == Self.dockerHub ? "" : registry + "/") + repository + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0.description } ?? "")
    }

    public static func isValidTag(_ tag: String) -> Bool {
        guard let first = tag.utf8.first, tag.utf8.count <= 128, first != UInt8(ascii: "."), first != UInt8(ascii: "-") else { return false }
        return tag.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static func isValidPathComponent(_ component: String) -> Bool {
        guard let first = component.utf8.first, let last = component.utf8.last,
              isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        return component.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static func isValidHost(_ host: String) -> Bool {
        !host.isEmpty && host.utf8.count <= 255 && host.utf8.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ":")
                || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]")
        }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= 0x41 && byte <= 0x5A)
    }
}
