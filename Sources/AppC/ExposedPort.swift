#if canImport(Glibc)
import Glibc
#endif

/// A pod port forwarded from the host: the name of an app port, the host port, optionally the host
/// address to bind and the pod-side port definition.
public struct ExposedPort: Equatable, Sendable {
    public var name: ACName
    public var hostPort: Int
    /// An IPv4 or IPv6 address literal.
    public var hostIP: String?
    public var podPort: Port?

    public init(name: ACName, hostPort: Int, hostIP: String? = nil, podPort: Port? = nil) {
        self.name = name
        self.hostPort = hostPort
        self.hostIP = hostIP
        self.podPort = podPort
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        name = try ACName(try reader.requiredString("name"), at: reader.fieldPath("name"))
        hostPort = try reader.requiredInt("hostPort", in: 0...65535)
        hostIP = try reader.optionalString("hostIP")
        podPort = try reader.optional("podPort").map { try Port(json: $0, path: reader.fieldPath("podPort")) }
        try validate(at: path)
    }

    func validate(at path: String) throws {
        guard (0...65535).contains(hostPort) else {
            throw ValidationError(path: FieldPath.member(path, "hostPort"), message: "\(hostPort) is out of range 0...65535")
        }
        if let hostIP, !Self.isIPAddress(hostIP) {
            throw ValidationError(path: FieldPath.member(path, "hostIP"), message: "\(quoted(hostIP)) is not an IP address")
        }
        try podPort?.validate(at: FieldPath.member(path, "podPort"))
    }

    static func isIPAddress(_ text: String) -> Bool {
        guard !text.utf8.contains(0) else { return false } // C would stop at the NUL
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("name", name.value)
        object.set("hostPort", .integer(hostPort))
        object.setIfPresent("hostIP", hostIP)
        object.setIfPresent("podPort", podPort?.json)
        return object.value
    }
}
