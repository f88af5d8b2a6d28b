/// A manifest or name that breaks the appc schema. `path` names the offending field the way a reader
/// would find it in the JSON (`app.ports[1].name`); `message` says what is wrong with it.
public struct ValidationError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? message : "\(path): \(message)"
    }
}

/// Builds the dotted/indexed field paths used in `ValidationError.path`.
enum FieldPath {
    static func member(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    static func element(_ parent: String, _ index: Int) -> String {
        "\(parent)[\(index)]"
    }
}
