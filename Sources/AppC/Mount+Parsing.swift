extension Mount {
    /// Parses rkt's `--mount` argument: `volume=NAME,target=PATH`.
    public init(parsing text: String) throws {
        func invalid(_ why: String) -> ValidationError {
            ValidationError(path: "", message: "\(quoted(text)) is not a valid mount: \(why)")
        }
        var volume: ACName?
        var target: String?
        let pairs = try KeyValueList.parse("," + text, firstKey: "", describing: "mount").dropFirst()
        for (key, value) in pairs {
            switch key {
            case "volume":
                guard let name = try? ACName(value) else { throw invalid("\(quoted(value)) is not a valid AC name") }
                volume = name
            case "target": target = value
            default: throw invalid("unknown mount parameter \(quoted(key))")
            }
        }
        guard let volume else { throw invalid("volume is required") }
        guard let target else { throw invalid("target is required") }
        do {
            try AppPath.validateContained(target, at: "target")
        } catch let error as ValidationError {
            throw invalid("\(error.path) \(error.message)")
        }
        self.init(volume: volume, path: target)
    }
}
