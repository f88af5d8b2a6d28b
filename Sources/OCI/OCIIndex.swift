/// An OCI image index or a docker manifest list: manifests, possibly one per platform.
public struct OCIIndex: Equatable, Sendable {
    public var mediaType: String?
    public var manifests: [OCIDescriptor]

    public static let maximumSize = 4 << 20

    public init(manifests: [OCIDescriptor], mediaType: String? = OCIMediaType.ociIndex) {
        self.manifests = manifests
        self.mediaType = mediaType
    }

    public init(bytes: [UInt8], document: String = "image index") throws {
        let reader = try OCIJSONReader.parse(bytes, document: document, limit: Self.maximumSize)
        guard try reader.optionalInt("schemaVersion", in: 0...100) == 2 else {
            throw reader.failure("schemaVersion", "must be 2")
        }
        mediaType = try reader.optionalString("mediaType")
        if let mediaType, !OCIMediaType.indexTypes.contains(mediaType) {
            throw OCIError.unsupportedMediaType(document: document, mediaType: mediaType)
        }
        manifests = try OCIDescriptor.list(reader, "manifests", limit: 4096)
    }

    /// The manifest for `platform` (entries without a platform count as matching only when they are the
    /// sole entry). Nested indexes are returned as they are; the caller follows them.
    public func manifest(for platform: OCIPlatform) throws -> OCIDescriptor {
        if let match = manifests.first(where: { $0.platform?.os == platform.os && $0.platform?.architecture == platform.architecture }) {
            return match
        }
        if manifests.count == 1, manifests[0].platform == nil { return manifests[0] }
        throw OCIError.noMatchingPlatform(
            wanted: platform.description, available: manifests.map { $0.platform?.description ?? "unspecified" })
    }
}
