/// How to run an image as an application (the `app` object of an image manifest, or its override in a
/// pod manifest): command, identity, environment, hooks, isolators, mount points and ports.
public struct App: Equatable, Sendable {
    /// The command and its arguments; may be empty (the executor supplies one). `exec[0]` is a path, or a
    /// bare name searched in PATH (see `validateExec`).
    public var exec: [String]
    /// User name, numeric UID, or an absolute path whose owner is used (resolved in the image).
    public var user: String
    public var group: String
    public var supplementaryGIDs: [Int]
    /// Absolute working directory, nil for the default `/`.
    public var workingDirectory: String?
    public var environment: [EnvironmentVariable]
    public var eventHandlers: [EventHandler]
    public var isolators: [Isolator]
    public var mountPoints: [MountPoint]
    public var ports: [Port]
    /// Free-form maps carried for Kubernetes' CRI (appc 0.8.10+ `criAnnotations` / `criLabels`).
    public var criAnnotations: [String: String]
    public var criLabels: [String: String]

    public init(exec: [String], user: String, group: String, supplementaryGIDs: [Int] = [],
                workingDirectory: String? = nil, environment: [EnvironmentVariable] = [],
                eventHandlers: [EventHandler] = [], isolators: [Isolator] = [],
                mountPoints: [MountPoint] = [], ports: [Port] = [],
                criAnnotations: [String: String] = [:], criLabels: [String: String] = [:]) {
        self.exec = exec
        self.user = user
        self.group = group
        self.supplementaryGIDs = supplementaryGIDs
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.eventHandlers = eventHandlers
        self.isolators = isolators
        self.mountPoints = mountPoints
        self.ports = ports
        self.criAnnotations = criAnnotations
        self.criLabels = criLabels
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        exec = try reader.list("exec", JSONObjectReader.string)
        user = try reader.requiredString("user")
        group = try reader.requiredString("group")
        supplementaryGIDs = try reader.list("supplementaryGIDs") { try JSONObjectReader.int($0, path: $1, in: 0...Int(UInt32.max)) }
        workingDirectory = try reader.optionalString("workingDirectory")
        environment = try reader.list("environment", EnvironmentVariable.init(json:path:))
        eventHandlers = try reader.list("eventHandlers", EventHandler.init(json:path:))
        isolators = try reader.list("isolators", Isolator.init(json:path:))
        mountPoints = try reader.list("mountPoints", MountPoint.init(json:path:))
        ports = try reader.list("ports", Port.init(json:path:))
        criAnnotations = try reader.stringMap("criAnnotations")
        criLabels = try reader.stringMap("criLabels")
        try validate(at: path)
    }

    /// Everything the spec requires of an app, with field paths under `path`.
    public func validate(at path: String = "app") throws {
        func field(_ key: String) -> String { FieldPath.member(path, key) }
        try Self.validateExec(exec, at: field("exec"), required: false)
        if user.isEmpty { throw ValidationError(path: field("user"), message: "is required") }
        if group.isEmpty { throw ValidationError(path: field("group"), message: "is required") }
        for (index, gid) in supplementaryGIDs.enumerated() where !(0...Int(UInt32.max)).contains(gid) {
            throw ValidationError(path: FieldPath.element(field("supplementaryGIDs"), index), message: "\(gid) is not a valid GID")
        }
        if let workingDirectory, !workingDirectory.hasPrefix("/") {
            throw ValidationError(path: field("workingDirectory"), message: "\(quoted(workingDirectory)) must be an absolute path")
        }
        try EnvironmentVariable.validate(environment, at: field("environment"))
        try EventHandler.validate(eventHandlers, at: field("eventHandlers"))
        try Isolator.validate(isolators, at: field("isolators"))
        for (index, mountPoint) in mountPoints.enumerated() {
            try AppPath.validateContained(mountPoint.path, at: FieldPath.member(FieldPath.element(field("mountPoints"), index), "path"))
        }
        var portNames = Set<ACName>()
        for (index, port) in ports.enumerated() {
            let element = FieldPath.element(field("ports"), index)
            try port.validate(at: element)
            guard portNames.insert(port.name).inserted else {
                throw ValidationError(path: FieldPath.member(element, "name"), message: "duplicate port \(quoted(port.name.value))")
            }
        }
    }

    /// appc 0.8.11 (aci.md, appc/spec#527): `exec[0]` is looked up like exec(3) does — a name without
    /// `/` is searched in the app's PATH, anything with a `/` is a path (relative ones from the working
    /// directory). So only an empty program name is refused here; resolving is the executor's job.
    static func validateExec(_ exec: [String], at path: String, required: Bool) throws {
        guard let first = exec.first else {
            if required { throw ValidationError(path: path, message: "must be non-empty") }
            return
        }
        guard !first.isEmpty else {
            throw ValidationError(path: FieldPath.element(path, 0), message: "the program name must not be empty")
        }
        for (index, argument) in exec.enumerated() where argument.utf8.contains(0) {
            throw ValidationError(path: FieldPath.element(path, index), message: "must not contain NUL bytes")
        }
    }

    /// Whether `exec[0]` names a program to find in PATH (no `/`) rather than a path.
    public var execNeedsPathLookup: Bool {
        guard let first = exec.first else { return false }
        return !first.contains("/")
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("exec", .array(exec.map { .string($0) }))
        object.setIfNotEmpty("eventHandlers", eventHandlers) { $0.json }
        object.set("user", user)
        object.set("group", group)
        object.setIfNotEmpty("supplementaryGIDs", supplementaryGIDs) { .integer($0) }
        object.setIfPresent("workingDirectory", workingDirectory)
        object.setIfNotEmpty("environment", environment) { $0.json }
        object.setIfNotEmpty("mountPoints", mountPoints) { $0.json }
        object.setIfNotEmpty("ports", ports) { $0.json }
        object.setIfNotEmpty("isolators", isolators) { $0.json }
        object.setIfNotEmpty("criAnnotations", criAnnotations)
        object.setIfNotEmpty("criLabels", criLabels)
        return object.value
    }
}
