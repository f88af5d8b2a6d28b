/// A refused isolator (unknown capability, syscall, group or errno name), naming the app.
public struct IsolationError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
