/// An image manifest (OCI or docker schema 2): the config blob and the layers, lowest first.
public struct OCIManifest: Equatable, Sendable {
    public var mediaType: String?
    public var config: OCIDescriptor
    public var layers: [OCIDescriptor]
    public var annotations: [String: String]

    public static let maximumSize = 4 << 20
    /// More layers than overlayfs or docker allow (127); far above real images.
    public static let maximumLayers = 256

    public init(config: OCIDescriptor, layers: [OCIDescriptor], mediaType: String? = OCIMediaType.ociManifest,
                annotations: [String: String] = [:]) {
        self.config = config
        self.layers = layers
        self.mediaType = mediaType
        self.annotations = annotations
    }

    public init(bytes: [UInt8], document: String = "image manifest") throws {
        let reader = try OCIJSONReader.parse(bytes, document: document, limit: Self.maximumSize)
        guard try reader.optionalInt("schemaVersion", in: 0...100) == 2 else {
            throw reader.failure("schemaVersion", "must be 2 (docker schema 1 images are not supported)")
        }
        mediaType = try reader.optionalString("mediaType")
        if let mediaType, !OCIMediaType.manifestTypes.contains(mediaType) {
            throw OCIError.unsupportedMediaType(document: document, mediaType: mediaType)
        }
        guard let configReader = try reader.optionalObject("config") else { throw reader.failure("config", "is required") }
        config = try OCIDescriptor(configReader)
        guard OCIMediaType.configTypes.contains(config.mediaType) else {
            throw OCIError.unsupportedMediaType(document: document + " config", mediaType: config.mediaType)
        }
        guard config.size <= OCIImageConfig.maximumSize else {
            throw OCIError.tooLarge(document: document + " config", limit: Int64(OCIImageConfig.maximumSize))
        }
        layers = try OCIDescriptor.list(reader, "layers", limit: Self.maximumLayers)
        for (index, layer) in layers.enumerated() where !OCIMediaType.layerTypes.contains(layer.mediaType) {
            throw OCIError.unsupportedMediaType(document: document + " layers[\(index)]", mediaType: layer.mediaType)
        }
        annotations = Dictionary(try reader.stringMap("annotations"), uniquingKeysWith: { first, _ in first })
    }
}
