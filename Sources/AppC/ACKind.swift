/// The `acKind` of a manifest (appc types.md). Only the two defined kinds are accepted.
public enum ACKind: String, CustomStringConvertible, Sendable {
    case imageManifest = "ImageManifest"
    case podManifest = "PodManifest"

    public var description: String { rawValue }

    /// Reads `acKind` and insists on `expected`.
    static func read(_ reader: JSONObjectReader, expecting expected: ACKind) throws {
        let path = reader.fieldPath("acKind")
        let text = try reader.requiredString("acKind")
        guard ACKind(rawValue: text) == expected else {
            throw ValidationError(path: path, message: "\(quoted(text)) is not \(quoted(expected.rawValue))")
        }
    }
}
