/// Maps a volume onto a path inside one app of a pod. `appVolume`, when given, is an app-private
/// volume definition used instead of the pod-level volume of the same name.
public struct Mount: Equatable, Sendable {
    public var volume: ACName
    public var path: String
    public var appVolume: Volume?

    public init(volume: ACName, path: String, appVolume: Volume? = nil) {
        self.volume = volume
        self.path = path
        self.appVolume = appVolume
    }

    init(json: JSONValue, path: String) throws {
        let reader = try JSONObjectReader(json, path: path)
        volume = try ACName(try reader.requiredString("volume"), at: reader.fieldPath("volume"))
        self.path = try reader.requiredString("path")
        appVolume = try reader.optional("appVolume").map { try Volume(json: $0, path: reader.fieldPath("appVolume")) }
        try AppPath.validateContained(self.path, at: reader.fieldPath("path"))
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.set("volume", volume.value)
        object.set("path", path)
        object.setIfPresent("appVolume", appVolume?.json)
        return object.value
    }
}
