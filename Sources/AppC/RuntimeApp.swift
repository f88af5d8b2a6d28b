/// One app of a pod: its unique name in the pod, the image it runs, an optional override of the
/// image's `app` section, a read-only root flag, volume mounts and annotations.
public struct RuntimeApp: Equatable, Sendable {
    public var name: ACName
    public var image: RuntimeImage
    public var app: App?
    public var readOnlyRootFS: Bool
    public var mounts: [Mount]
    public var annotations: [Annotation]

    public init(name: ACName, image: RuntimeImage, app: App? = nil, readOnlyRootFS: Bool = false,
                mounts: [Mount] = [], annotations: [Annotation] = []) {
        self.name = name
        self.image = image
        self.app = app
        self.readOnlyRootFS = readOnlyRootFS
        self.mounts = mounts
        self.annotations = annotations
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        name = try ACName(try reader.requiredString("name"), at: reader.fieldPath("name"))
        image = try RuntimeImage(json: try reader.required("image"), path: reader.fieldPath("image"))
        app = try reader.optional("app").map { try App(json: $0, path: reader.fieldPath("app")) }
        readOnlyRootFS = try reader.optionalBool("readOnlyRootFS") ?? false
        mounts = try reader.list("mounts", Mount.init(json:path:))
        annotations = try reader.list("annotations", Annotation.init(json:path:))
    }

    func validate(at path: String) throws {
        try app?.validate(at: FieldPath.member(path, "app"))
        try Label.validate(image.labels, at: FieldPath.member(FieldPath.member(path, "image"), "labels"))
        for (index, mount) in mounts.enumerated() {
            let element = FieldPath.element(FieldPath.member(path, "mounts"), index)
            try AppPath.validateContained(mount.path, at: FieldPath.member(element, "path"))
            try mount.appVolume?.validate(at: FieldPath.member(element, "appVolume"))
        }
        try Annotation.validate(annotations, at: FieldPath.member(path, "annotations"))
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("name", name.value)
        object.set("image", image.json)
        object.setIfPresent("app", app?.json)
        if readOnlyRootFS { object.set("readOnlyRootFS", .bool(true)) }
        object.setIfNotEmpty("mounts", mounts) { $0.json }
        object.setIfNotEmpty("annotations", annotations) { $0.json }
        return object.value
    }
}
