/// A CNI failure, naming the network, the plugin and what went wrong; for a plugin that failed, its own
/// message (the `msg` and `details` of the error object it printed, else its output).
public struct CNIError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
