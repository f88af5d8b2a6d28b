/// The image an app of a pod runs: its ID (required) and, informationally, its name and labels.
public struct RuntimeImage: Equatable, Sendable {
    public var name: ACIdentifier?
    public var id: ImageID
    public var labels: [Label]

    public init(name: ACIdentifier? = nil, id: ImageID, labels: [Label] = []) {
        self.name = name
        self.id = id
        self.labels = labels
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        name = try reader.optionalString("name").map { try ACIdentifier($0, at: reader.fieldPath("name")) }
        id = try ImageID(try reader.requiredString("id"), at: reader.fieldPath("id"))
        labels = try reader.list("labels", Label.init(json:path:))
        try Label.validate(labels, at: reader.fieldPath("labels"))
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.setIfPresent("name", name?.value)
        object.set("id", id.description)
        object.setIfNotEmpty("labels", labels) { $0.json }
        return object.value
    }
}
