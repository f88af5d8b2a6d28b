/// The schema's string-shaped value types (names, versions, image IDs), so they can be stored with
/// `Codable` as plain strings and are validated again when decoded.
public protocol ValidatedString: Codable, CustomStringConvertible {
    init(_ string: String) throws
}

extension ValidatedString {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(string)
        } catch let error as ValidationError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ACName: ValidatedString {}
extension ACIdentifier: ValidatedString {}
extension ACVersion: ValidatedString {}
extension ImageID: ValidatedString {}
