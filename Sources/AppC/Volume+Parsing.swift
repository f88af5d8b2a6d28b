extension Volume {
    /// Parses rkt's `--volume` argument: `NAME,kind=host|empty[,source=PATH][,readOnly=BOOL]
    /// [,recursive=BOOL][,mode=OCTAL][,uid=N][,gid=N]`, then validates the volume.
    public init(parsing text: String) throws {
        func invalid(_ why: String) -> ValidationError {
            ValidationError(path: "", message: "\(quoted(text)) is not a valid volume: \(why)")
        }
        func bool(_ key: String, _ value: String) throws -> Bool {
            switch value {
            case "true", "1", "t", "T", "TRUE", "True": return true
            case "false", "0", "f", "F", "FALSE", "False": return false
            default: throw invalid("\(key)=\(quoted(value)) is not a boolean")
            }
        }
        func id(_ key: String, _ value: String) throws -> Int {
            guard let number = Int(value), (0...Int(UInt32.max)).contains(number) else {
                throw invalid("\(key)=\(quoted(value)) is not a valid ID")
            }
            return number
        }
        var name: ACName?
        var kind: Kind?
        var source: String?, readOnly: Bool?, recursive: Bool?, mode: String?, uid: Int?, gid: Int?
        for (key, value) in try KeyValueList.parse(text, firstKey: "name", describing: "volume") {
            switch key {
            case "name":
                guard let parsed = try? ACName(value) else { throw invalid("\(quoted(value)) is not a valid AC name") }
                name = parsed
            case "kind":
                guard let parsed = Kind(rawValue: value) else { throw invalid("kind \(quoted(value)) is not one of \"empty\", \"host\"") }
                kind = parsed
            case "source": source = value
            case "readOnly": readOnly = try bool(key, value)
            case "recursive": recursive = try bool(key, value)
            case "mode": mode = value
            case "uid": uid = try id(key, value)
            case "gid": gid = try id(key, value)
            default: throw invalid("unknown volume parameter \(quoted(key))")
            }
        }
        guard let name else { throw invalid("no name") }
        guard let kind else { throw invalid("kind is required") }
        self.init(name: name, kind: kind, source: source, readOnly: readOnly, recursive: recursive, mode: mode, uid: uid, gid: gid)
        do {
            try validate(at: "")
        } catch let error as ValidationError {
            throw invalid("\(error.path) \(error.message)")
        }
    }
}
