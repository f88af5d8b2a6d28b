/// A content descriptor: what a blob is, its digest and size (OCI descriptor.md).
public struct OCIDescriptor: Equatable, Sendable {
    public var mediaType: String
    public var digest: OCIDigest
    public var size: Int64
    public var platform: OCIPlatform?
    public var annotations: [String: String]

    /// Blobs larger than this are refused (layers of real images are far smaller).
    public static let maximumSize: Int64 = 16 << 30

    public init(mediaType: String, digest: OCIDigest, size: Int64, platform: OCIPlatform? = nil,
                annotations: [String: String] = [:]) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
        self.annotations = annotations
    }

    init(_ reader: OCIJSONReader) throws {
        mediaType = try reader.requiredString("mediaType")
        do {
            digest = try OCIDigest(try reader.requiredString("digest"))
        } catch let OCIError.invalidReference(_, reason) {
            throw reader.failure("digest", reason)
        }
        guard let size = try reader.optionalInt("size", in: 0...Self.maximumSize) else { throw reader.failure("size", "is required") }
        self.size = size
        platform = try reader.optionalObject("platform").map(OCIPlatform.init)
        annotations = Dictionary(try reader.stringMap("annotations"), uniquingKeysWith: { first, _ in first })
    }

    static func list(_ reader: OCIJSONReader, _ key: String, limit: Int) throws -> [OCIDescriptor] {
        try reader.list(key, limit: limit) { value, path in
            try OCIDescriptor(OCIJSONReader(value, document: reader.document, path: path))
        }
    }

    /// Throws unless `bytes` match this descriptor's size and digest.
    public func verify(_ bytes: [UInt8]) throws {
        guard Int64(bytes.count) == size else {
            throw OCIError.sizeMismatch(blob: digest.description, expected: size, actual: Int64(bytes.count))
        }
        try digest.verify(bytes, blob: digest.description)
    }

    /// `org.opencontainers.image.ref.name`: the tag of a manifest in an OCI layout's index.json.
    public var referenceName: String? { annotations["org.opencontainers.image.ref.name"] }
}
