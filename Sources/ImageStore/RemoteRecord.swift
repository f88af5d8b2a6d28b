/// What the store remembers about an image downloaded from a URL, for `--pull-policy`: which image it gave,
/// its ETag and how long the server said it stays fresh.
public struct RemoteRecord: Codable, Equatable, Sendable {
    public var url: String
    public var key: String
    public var etag: String?
    /// Seconds from `fetched` during which the URL need not be asked again (Cache-Control max-age).
    public var maxAge: Int?
    /// Unix time (seconds) of the last download or revalidation.
    public var fetched: Int64

    public init(url: String, key: String, etag: String?, maxAge: Int?, fetched: Int64) {
        self.url = url
        self.key = key
        self.etag = etag
        self.maxAge = maxAge
        self.fetched = fetched
    }

    /// Whether the server's max-age still covers `now`.
    public func isFresh(at now: Int64) -> Bool {
        guard let maxAge else { return false }
        return now - fetched < Int64(maxAge)
    }
}
