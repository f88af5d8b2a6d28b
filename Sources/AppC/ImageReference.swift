/// An image named the way `rkt fetch` / `rkt run` take it (appc discovery's app string):
/// `example.com/app`, `example.com/app:1.0` (the text after the single colon is the `version` label),
/// or `example.com/app,version=1.0,arch=amd64` (comma-separated `label=value` pairs after the name).
/// The colon may appear at most once and only before the first comma. Label values are literal.
public struct ImageReference: Hashable, CustomStringConvertible, Sendable {
    public var name: ACIdentifier
    /// Labels in the order given; `version` first when it came from the `:version` form.
    public var labels: [Label]

    public init(name: ACIdentifier, labels: [Label] = []) {
        self.name = name
        self.labels = labels
    }

    public init(parsing string: String) throws {
        func invalid(_ why: String) -> ValidationError {
            ValidationError(path: "", message: "\(quoted(string)) is not a valid image reference: \(why)")
        }
        let firstComma = string.firstIndex(of: ",")
        let colons = string.indices.filter { string[$0] == ":" }
        if colons.count > 1 { throw invalid("a colon may appear at most once") }
        if let colon = colons.first, let firstComma, colon > firstComma {
            throw invalid("a colon may appear only right after the image name")
        }
        var text = string
        if let colon = colons.first {
            text.replaceSubrange(colon...colon, with: ",version=")
        }
        var name: ACIdentifier?
        var labels: [Label] = []
        for (key, value) in try KeyValueList.parse(text, firstKey: "name", describing: "image reference") {
            if key == "name" {
                guard let identifier = try? ACIdentifier(value) else { throw invalid("\(quoted(value)) is not a valid AC identifier") }
                name = identifier
                continue
            }
            guard let labelName = try? ACIdentifier(key) else { throw invalid("\(quoted(key)) is not a valid label name") }
            guard !value.isEmpty else { throw invalid("label \(quoted(key)) has an empty value") }
            labels.append(Label(name: labelName, value: value))
        }
        guard let name else { throw invalid("no image name") }
        self.init(name: name, labels: labels)
    }

    /// The `version` label, if given.
    public var version: String? { labels.value(of: "version") }

    /// The reference in rkt's form: `name[:version][,label=value...]`. (Values holding `,` or `:` have
    /// no spelling in this grammar; such references come only from code, not from parsing.)
    public var description: String {
        var text = name.value
        var rest = labels
        if let index = rest.firstIndex(where: { $0.name.value == "version" }) {
            text += ":" + rest[index].value
            rest.remove(at: index)
        }
        for label in rest {
            text += ",\(label.name.value)=\(label.value)"
        }
        return text
    }
}
