/// Failures of the image store that are about the user's request rather than the system.
public enum StoreError: Error, CustomStringConvertible, Equatable, Sendable {
    case imageNotFound(String)
    case ambiguousReference(String, candidates: [String])
    case invalidReference(String)
    case invalidImage(path: String, reason: String)
    case dependencyNotFound(image: String, dependency: String)
    case dependencyCycle(String)
    case destinationExists(String)
    /// Rendering the image (or one of its layers) met an entry the renderer refuses.
    case renderRefused(image: String, layer: String?, reason: String)

    public var description: String {
        switch self {
        case let .imageNotFound(reference):
            return "image \(reference) not found in the store"
        case let .ambiguousReference(reference, candidates):
            return "image reference \(reference) is ambiguous; it matches \(candidates.joined(separator: ", "))"
        case let .invalidReference(reference):
            return "\(reference) is neither an image ID (sha512-…) nor an image name"
        case let .invalidImage(path, reason):
            return "\(path): not a valid ACI: \(reason)"
        case let .dependencyNotFound(image, dependency):
            return "image \(image) depends on \(dependency), which is not in the store (fetch it first)"
        case let .dependencyCycle(chain):
            return "image dependencies form a cycle: \(chain)"
        case let .destinationExists(path):
            return "\(path) already exists (use --overwrite to replace it)"
        case let .renderRefused(image, layer, reason):
            return "image \(image)\(layer.map { ", layer \($0)" } ?? ""): \(reason)"
        }
    }
}
