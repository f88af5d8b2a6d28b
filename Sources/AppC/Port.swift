/// A port (or contiguous range of `count` ports) an app listens on.
public struct Port: Hashable, Sendable {
    public var name: ACName
    public var `protocol`: String
    public var port: Int
    public var count: Int
    public var socketActivated: Bool

    public init(name: ACName, protocol: String, port: Int, count: Int = 1, socketActivated: Bool = false) {
        self.name = name
        self.protocol = `protocol`
        self.port = port
        self.count = count
        self.socketActivated = socketActivated
    }

    /// The ports covered, `port ... port + count - 1` (a count below 1 counts as 1).
    public var range: ClosedRange<Int> { port...(port + max(count, 1) - 1) }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        name = try ACName(try reader.requiredString("name"), at: reader.fieldPath("name"))
        self.protocol = try reader.requiredString("protocol")
        port = try reader.requiredInt("port", in: 1...65535)
        // appc's reference decoder treats an explicit 0 like an absent count (one port).
        let rawCount = try reader.optionalInt("count", in: 0...65535) ?? 1
        count = rawCount == 0 ? 1 : rawCount
        socketActivated = try reader.optionalBool("socketActivated") ?? false
        try validate(at: path)
    }

    func validate(at path: String) throws {
        guard (1...65535).contains(port) else {
            throw ValidationError(path: FieldPath.member(path, "port"), message: "\(port) is out of range 1...65535")
        }
        guard count >= 1, port + count - 1 <= 65535 else {
            throw ValidationError(path: FieldPath.member(path, "count"), message: "range \(port)+\(count) ends past port 65535")
        }
        guard !self.protocol.isEmpty else {
            throw ValidationError(path: FieldPath.member(path, "protocol"), message: "must not be empty")
        }
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("name", name.value)
        object.set("protocol", self.protocol)
        object.set("port", .integer(port))
        object.set("count", .integer(count))
        object.set("socketActivated", .bool(socketActivated))
        return object.value
    }
}
