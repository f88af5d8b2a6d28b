/// The value of `os/linux/selinux-context`: the four parts of an SELinux security context.
/// user, role and type must be non-empty and free of `:`; level (which may hold `s0:c1,c2`) must be non-empty.
public struct SELinuxContext: Hashable, Sendable {
    public var user: String
    public var role: String
    public var type: String
    public var level: String

    public init(user: String, role: String, type: String, level: String) {
        self.user = user
        self.role = role
        self.type = type
        self.level = level
    }

    /// `user:role:type:level`.
    public var label: String { "\(user):\(role):\(type):\(level)" }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        func part(_ key: String, colonAllowed: Bool) throws -> String {
            let text = try reader.requiredString(key)
            if !colonAllowed && text.contains(":") {
                throw ValidationError(path: reader.fieldPath(key), message: "\(quoted(text)) must not contain ':'")
            }
            return text
        }
        user = try part("user", colonAllowed: false)
        role = try part("role", colonAllowed: false)
        type = try part("type", colonAllowed: false)
        level = try part("level", colonAllowed: true)
    }

    var json: JSONValue {
        .object([("user", .string(user)), ("role", .string(role)), ("type", .string(type)), ("level", .string(level))])
    }
}
