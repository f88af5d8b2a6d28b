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
