/// A command-line mistake in the image/app part of `rkt run`/`rkt prepare`.
public struct RunArgumentError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
