/// The comma-separated `key=value` syntax rkt's flags share (`--volume NAME,kind=host,source=/srv`,
/// image references `example.com/app,version=1.0`): the first item may be a bare value for `firstKey`;
/// values are literal (no URL decoding) and may contain `=`; a key may appear once.
enum KeyValueList {
    static func parse(_ text: String, firstKey: String, describing what: String) throws -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        var seen = Set<String>()
        for (index, item) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let key: String
            let value: String
            if index == 0 {
                (key, value) = (firstKey, String(item))
            } else {
                guard let equals = item.firstIndex(of: "=") else {
                    throw ValidationError(path: "", message: "\(quoted(text)) is not a valid \(what): \(quoted(String(item))) is not key=value")
                }
                (key, value) = (String(item[..<equals]), String(item[item.index(after: equals)...]))
            }
            guard seen.insert(key).inserted else {
                throw ValidationError(path: "", message: "\(quoted(text)) is not a valid \(what): \(quoted(key)) given more than once")
            }
            pairs.append((key, value))
        }
        return pairs
    }
}
