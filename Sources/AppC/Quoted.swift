/// A string quoted for an error message, with quotes and control characters escaped; hostile
/// multi-megabyte values are cut to their first 200 characters.
func quoted(_ string: String) -> String {
    let limit = 200
    guard string.count > limit else { return JSONValue.string(string).serialized(pretty: false) }
    return JSONValue.string(String(string.prefix(limit))).serialized(pretty: false) + "…"
}
