/// The value of `os/linux/seccomp-retain-set` / `-remove-set`: syscall names (or `@scope/wildcard`
/// special values such as `@appc.io/all`) and an optional errno name (`ENOTSUP`) returned by blocked
/// calls instead of killing the app with SIGSYS.
public struct SeccompSet: Hashable, Sendable {
    public var syscalls: [String]
    public var errno: String?

    public init(syscalls: [String], errno: String? = nil) {
        self.syscalls = syscalls
        self.errno = errno
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        syscalls = try reader.list("set") { element, elementPath in
            let name = try JSONObjectReader.string(element, path: elementPath)
            guard !name.isEmpty else { throw ValidationError(path: elementPath, message: "must not be empty") }
            return name
        }
        guard !syscalls.isEmpty else { throw ValidationError(path: reader.fieldPath("set"), message: "must be non-empty") }
        let errnoName = try reader.optionalString("errno") ?? ""
        if errnoName.isEmpty {
            errno = nil
        } else {
            guard errnoName.hasPrefix("E"), errnoName.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }) else {
                throw ValidationError(path: reader.fieldPath("errno"),
                                      message: "\(quoted(errnoName)) is not an upper-case errno name like \"ENOTSUP\"")
            }
            errno = errnoName
        }
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.setIfPresent("errno", errno)
        object.set("set", .array(syscalls.map { .string($0) }))
        return object.value
    }
}
