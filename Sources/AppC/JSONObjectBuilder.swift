/// Builds a JSON object in a fixed member order, leaving out optional members that are absent or empty.
struct JSONObjectBuilder {
    private(set) var members: [(key: String, value: JSONValue)] = []

    mutating func set(_ key: String, _ value: JSONValue) {
        members.append((key, value))
    }

    mutating func set(_ key: String, _ string: String) {
        members.append((key, .string(string)))
    }

    mutating func setIfPresent(_ key: String, _ value: JSONValue?) {
        if let value { members.append((key, value)) }
    }

    mutating func setIfPresent(_ key: String, _ string: String?) {
        if let string { members.append((key, .string(string))) }
    }

    mutating func setIfNotEmpty<T>(_ key: String, _ list: [T], _ encode: (T) -> JSONValue) {
        if !list.isEmpty { members.append((key, .array(list.map(encode)))) }
    }

    /// A string map written with its keys sorted, for stable output.
    mutating func setIfNotEmpty(_ key: String, _ map: [String: String]) {
        guard !map.isEmpty else { return }
        members.append((key, .object(map.keys.sorted().map { ($0, .string(map[$0]!)) })))
    }

    var value: JSONValue { .object(members) }
}
