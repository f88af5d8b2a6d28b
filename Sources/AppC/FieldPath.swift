/// Builds the dotted/indexed field paths used in `ValidationError.path`.
enum FieldPath {
    static func member(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    static func element(_ parent: String, _ index: Int) -> String {
        "\(parent)[\(index)]"
    }
}
