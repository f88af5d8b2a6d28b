import CSQLite

/// A failed SQLite call, with SQLite's own message and the database file it concerned.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let path: String

    public var description: String { "sqlite \(path): \(message) (code \(code))" }
}
