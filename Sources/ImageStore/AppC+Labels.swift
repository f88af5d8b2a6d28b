import AppC

extension Array where Element == Label {
    /// Labels as a name → value dictionary, for matching against an image's labels.
    var dictionary: [String: String] {
        Dictionary(map { ($0.name.description, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

extension ImageManifest {
    public var labelDictionary: [String: String] { labels.dictionary }
}

extension ImageReference {
    var labelDictionary: [String: String] { labels.dictionary }
}

extension Dependency {
    var labelDictionary: [String: String] { labels.dictionary }
}
