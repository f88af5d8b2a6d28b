import Foundation

/// The `manifest` file of an ACI (appc aci.md "Image Manifest Schema").
public struct ImageManifest: Equatable, Sendable {
    public var acKind: ACKind { .imageManifest }
    public var acVersion: ACVersion
    public var name: ACIdentifier
    public var labels: [Label]
    public var app: App?
    public var annotations: [Annotation]
    public var dependencies: [Dependency]
    /// Absolute paths kept in the rendered rootfs; empty means keep everything.
    public var pathWhitelist: [String]

    public init(name: ACIdentifier, acVersion: ACVersion = .current, labels: [Label] = [], app: App? = nil,
                annotations: [Annotation] = [], dependencies: [Dependency] = [], pathWhitelist: [String] = []) {
        self.acVersion = acVersion
        self.name = name
        self.labels = labels
        self.app = app
        self.annotations = annotations
        self.dependencies = dependencies
        self.pathWhitelist = pathWhitelist
    }

    /// Manifests larger than this are refused before parsing (they come from untrusted archives).
    public static let maximumSize = 16 << 20

    /// Decodes and validates a manifest; every error names the failing field.
    public init(jsonData: Data) throws {
        try ManifestSize.check(jsonData, limit: Self.maximumSize)
        try self.init(json: try JSONValue(parsing: jsonData))
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json, path: "")
        try ACKind.read(reader, expecting: .imageManifest)
        acVersion = try ACVersion(try reader.requiredString("acVersion"), at: "acVersion")
        name = try ACIdentifier(try reader.requiredString("name"), at: "name")
        labels = try reader.list("labels", Label.init(json:path:))
        app = try reader.optional("app").map { try App(json: $0, path: "app") }
        annotations = try reader.list("annotations", Annotation.init(json:path:))
        dependencies = try reader.list("dependencies", Dependency.init(json:path:))
        pathWhitelist = try reader.list("pathWhitelist", JSONObjectReader.string)
        try validate()
    }

    /// The cross-field rules (unique names, os/arch, annotation formats, absolute paths).
    public func validate() throws {
        try Label.validate(labels, at: "labels")
        try app?.validate(at: "app")
        try Annotation.validate(annotations, at: "annotations")
        for (index, dependency) in dependencies.enumerated() {
            try Label.validate(dependency.labels, at: FieldPath.member(FieldPath.element("dependencies", index), "labels"))
        }
        for (index, path) in pathWhitelist.enumerated() where !path.hasPrefix("/") {
            throw ValidationError(path: FieldPath.element("pathWhitelist", index), message: "\(quoted(path)) must be an absolute path")
        }
    }

    /// The manifest as JSON with a fixed member order (that of appc's reference implementation),
    /// after validating it. Decoding the result gives back an equal manifest.
    public func jsonData(pretty: Bool = false) throws -> Data {
        try validate()
        return Data(json.serialized(pretty: pretty).utf8)
    }

    public var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("acKind", acKind.rawValue)
        object.set("acVersion", acVersion.description)
        object.set("name", name.value)
        object.setIfNotEmpty("labels", labels) { $0.json }
        object.setIfPresent("app", app?.json)
        object.setIfNotEmpty("annotations", annotations) { $0.json }
        object.setIfNotEmpty("dependencies", dependencies) { $0.json }
        object.setIfNotEmpty("pathWhitelist", pathWhitelist) { .string($0) }
        return object.value
    }

    /// The value of the label `name`, if present.
    public func label(_ name: String) -> String? { labels.value(of: name) }

    /// The value of the annotation `name`, if present.
    public func annotation(_ name: String) -> String? { annotations.value(of: name) }

    public var version: String? { label("version") }
    public var os: String? { label("os") }
    public var arch: String? { label("arch") }
}
