extension ExposedPort {
    /// Parses rkt's `--port` argument: `NAME:HOSTPORT` or `NAME:HOSTIP:HOSTPORT` (IPv4 host address).
    public init(parsing text: String) throws {
        func invalid(_ why: String) -> ValidationError {
            ValidationError(path: "", message: "\(quoted(text)) is not a valid port: \(why)")
        }
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { throw invalid("expected NAME:[HOSTIP:]HOSTPORT") }
        guard let name = try? ACName(parts[0]) else { throw invalid("\(quoted(parts[0])) is not a valid port name") }
        var hostIP: String?
        var portText = parts[1]
        if parts.count == 3 {
            guard ExposedPort.isIPAddress(parts[1]) else { throw invalid("\(quoted(parts[1])) is not a valid IP address") }
            hostIP = parts[1]
            portText = parts[2]
        }
        guard portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let port = Int(portText), (1...65535).contains(port) else {
            throw invalid("\(quoted(portText)) is not a valid port number")
        }
        self.init(name: name, hostPort: port, hostIP: hostIP)
    }
}
