/// An image this image is layered on top of, matched by name and labels or pinned by image ID.
public struct Dependency: Equatable, Sendable {
    public var imageName: ACIdentifier
    public var imageID: ImageID?
    public var labels: [Label]
    /// Expected size in bytes, to bound what a fetch may download.
    public var size: UInt64?

    public init(imageName: ACIdentifier, imageID: ImageID? = nil, labels: [Label] = [], size: UInt64? = nil) {
        self.imageName = imageName
        self.imageID = imageID
        self.labels = labels
        self.size = size
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        imageName = try ACIdentifier(try reader.requiredString("imageName"), at: reader.fieldPath("imageName"))
        imageID = try reader.optionalString("imageID").map { try ImageID($0, at: reader.fieldPath("imageID")) }
        labels = try reader.list("labels", Label.init(json:path:))
        size = try reader.optionalInt("size", in: 0...Int.max).map { UInt64($0) }
        try Label.validate(labels, at: reader.fieldPath("labels"))
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("imageName", imageName.value)
        object.setIfPresent("imageID", imageID?.description)
        object.setIfNotEmpty("labels", labels) { $0.json }
        if let size { object.set("size", .number(String(size))) }
        return object.value
    }
}
