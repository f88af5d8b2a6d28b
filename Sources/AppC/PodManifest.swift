import Foundation

/// The manifest of a pod (appc pods.md "Pod Manifest Schema"): its apps, volumes, pod-level
/// isolators and annotations, exposed ports, and the user's free-form annotations and labels.
public struct PodManifest: Equatable, Sendable {
    public var acKind: ACKind { .podManifest }
    public var acVersion: ACVersion
    public var apps: [RuntimeApp]
    public var volumes: [Volume]
    public var isolators: [Isolator]
    public var annotations: [Annotation]
    public var ports: [ExposedPort]
    public var userAnnotations: [String: String]
    public var userLabels: [String: String]

    public init(acVersion: ACVersion = .current, apps: [RuntimeApp] = [], volumes: [Volume] = [],
                isolators: [Isolator] = [], annotations: [Annotation] = [], ports: [ExposedPort] = [],
                userAnnotations: [String: String] = [:], userLabels: [String: String] = [:]) {
        self.acVersion = acVersion
        self.apps = apps
        self.volumes = volumes
        self.isolators = isolators
        self.annotations = annotations
        self.ports = ports
        self.userAnnotations = userAnnotations
        self.userLabels = userLabels
    }

    /// Pod manifests larger than this are refused before parsing.
    public static let maximumSize = 16 << 20

    /// Decodes and validates a pod manifest; every error names the failing field.
    public init(jsonData: Data) throws {
        try ManifestSize.check(jsonData, limit: Self.maximumSize)
        try self.init(json: try JSONValue(parsing: jsonData))
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json, path: "")
        try ACKind.read(reader, expecting: .podManifest)
        acVersion = try ACVersion(try reader.requiredString("acVersion"), at: "acVersion")
        guard reader.optional("apps") != nil else { throw ValidationError(path: "apps", message: "is required") }
        apps = try reader.list("apps", RuntimeApp.init(json:path:))
        volumes = try reader.list("volumes", Volume.init(json:path:))
        isolators = try reader.list("isolators", Isolator.init(json:path:))
        annotations = try reader.list("annotations", Annotation.init(json:path:))
        ports = try reader.list("ports", ExposedPort.init(json:path:))
        userAnnotations = try reader.stringMap("userAnnotations")
        userLabels = try reader.stringMap("userLabels")
        try validate()
    }

    /// The cross-field rules: unique app, volume and port names, and every part's own rules.
    public func validate() throws {
        var appNames = Set<ACName>()
        for (index, app) in apps.enumerated() {
            let element = FieldPath.element("apps", index)
            guard appNames.insert(app.name).inserted else {
                throw ValidationError(path: FieldPath.member(element, "name"), message: "duplicate app \(quoted(app.name.value))")
            }
            try app.validate(at: element)
        }
        var volumeNames = Set<ACName>()
        for (index, volume) in volumes.enumerated() {
            let element = FieldPath.element("volumes", index)
            guard volumeNames.insert(volume.name).inserted else {
                throw ValidationError(path: FieldPath.member(element, "name"), message: "duplicate volume \(quoted(volume.name.value))")
            }
            try volume.validate(at: element)
        }
        try Isolator.validate(isolators, at: "isolators")
        try Annotation.validate(annotations, at: "annotations")
        var portNames = Set<ACName>()
        for (index, port) in ports.enumerated() {
            let element = FieldPath.element("ports", index)
            guard portNames.insert(port.name).inserted else {
                throw ValidationError(path: FieldPath.member(element, "name"), message: "duplicate port \(quoted(port.name.value))")
            }
            try port.validate(at: element)
        }
    }

    /// The manifest as JSON in a fixed member order after validating it; decoding it gives back an
    /// equal manifest. List members are always written (as `[]` when empty), as rkt's stage1 expects.
    public func jsonData(pretty: Bool = false) throws -> Data {
        try validate()
        return Data(json.serialized(pretty: pretty).utf8)
    }

    public var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("acVersion", acVersion.description)
        object.set("acKind", acKind.rawValue)
        object.set("apps", .array(apps.map(\.json)))
        object.set("volumes", .array(volumes.map(\.json)))
        object.set("isolators", .array(isolators.map(\.json)))
        object.set("annotations", .array(annotations.map(\.json)))
        object.set("ports", .array(ports.map(\.json)))
        object.setIfNotEmpty("userAnnotations", userAnnotations)
        object.setIfNotEmpty("userLabels", userLabels)
        return object.value
    }

    /// The app named `name`, if the pod has one.
    public func app(named name: ACName) -> RuntimeApp? {
        apps.first { $0.name == name }
    }

    /// The value of the pod annotation `name`, if present.
    public func annotation(_ name: String) -> String? { annotations.value(of: name) }
}
