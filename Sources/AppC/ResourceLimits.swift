/// The value of a resource isolator (`resource/cpu`, `resource/memory`, `resource/block-bandwidth`, ...):
/// `request` (guaranteed minimum, defaults to `limit`), `limit` (maximum) and `default` (whether the
/// limit applies to every device; required true for block/network isolators, false for cpu/memory).
public struct ResourceLimits: Hashable, Sendable {
    public var request: ResourceQuantity?
    public var limit: ResourceQuantity?
    public var isDefault: Bool

    public init(request: ResourceQuantity? = nil, limit: ResourceQuantity? = nil, isDefault: Bool = false) {
        self.request = request
        self.limit = limit
        self.isDefault = isDefault
    }

    /// The request, or the limit when no request is given (the spec's default).
    public var effectiveRequest: ResourceQuantity? { request ?? limit }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        request = try reader.optionalString("request").map { try ResourceQuantity($0, at: reader.fieldPath("request")) }
        limit = try reader.optionalString("limit").map { try ResourceQuantity($0, at: reader.fieldPath("limit")) }
        isDefault = try reader.optionalBool("default") ?? false
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        if isDefault { object.set("default", .bool(true)) }
        object.setIfPresent("request", request?.text)
        object.setIfPresent("limit", limit?.text)
        return object.value
    }
}
