/// One forwarded port, as the `portMappings` capability of the CNI portmap plugin takes it.
public struct PortMapping: Codable, Equatable, Sendable {
    public var hostPort: Int
    public var containerPort: Int
    public var `protocol`: String
    public var hostIP: String?

    public init(hostPort: Int, containerPort: Int, protocol: String, hostIP: String? = nil) {
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.protocol = `protocol`
        self.hostIP = hostIP
    }

    var jsonObject: [String: Any] {
        var object: [String: Any] = ["hostPort": hostPort, "containerPort": containerPort, "protocol": self.protocol]
        if let hostIP, !hostIP.isEmpty { object["hostIP"] = hostIP }
        return object
    }
}
