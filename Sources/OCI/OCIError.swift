/// Failures reading OCI / docker image metadata or blobs. Each names the document, field or blob at fault.
public enum OCIError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A JSON document is malformed or breaks the schema: `document` says which, `field` where.
    case invalidDocument(document: String, field: String, reason: String)
    /// A blob's bytes do not hash to the digest that named it (or their count differs from the size).
    case digestMismatch(blob: String, expected: String, actual: String)
    case sizeMismatch(blob: String, expected: Int64, actual: Int64)
    /// A document or blob is larger than the limit for its kind.
    case tooLarge(document: String, limit: Int64)
    /// A media type this runtime does not handle (e.g. docker schema1, foreign layers).
    case unsupportedMediaType(document: String, mediaType: String)
    /// An index / manifest list offers no image for the wanted platform.
    case noMatchingPlatform(wanted: String, available: [String])
    case invalidReference(String, reason: String)

    public var description: String {
        switch self {
        case let .invalidDocument(document, field, reason):
            return field.isEmpty ? "\(document): \(reason)" : "\(document): \(field): \(reason)"
        case let .digestMismatch(blob, expected, actual):
            return "blob \(blob): digest mismatch: expected \(expected), got \(actual)"
        case let .sizeMismatch(blob, expected, actual):
            return "blob \(blob): size mismatch: expected \(expected) bytes, got \(actual)"
        case let .tooLarge(document, limit):
            return "\(document) exceeds the limit of \(limit) bytes"
        case let .unsupportedMediaType(document, mediaType):
            return "\(document): unsupported media type \"\(mediaType)\""
        case let .noMatchingPlatform(wanted, available):
            return "no image for platform \(wanted) (available: \(available.isEmpty ? "none" : available.joined(separator: ", ")))"
        case let .invalidReference(reference, reason):
            return "invalid image reference \"\(reference)\": \(reason)"
        }
    }
}
