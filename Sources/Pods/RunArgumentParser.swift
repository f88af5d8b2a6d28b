/// Splits the image part of `rkt run`/`rkt prepare` into apps the way rkt does: each image argument is
/// followed by its own app flags, then optionally `--` and the app's arguments, ended by `---` (or by the
/// end of the command line).
public enum RunArgumentParser {
    static let valued: Set<String> = ["exec", "name", "user", "group", "working-dir", "environment", "mount"]

    public static func parse(_ arguments: [String]) throws -> [AppOptions] {
        var apps: [AppOptions] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "---" { continue }
            if argument == "--" {
                guard !apps.isEmpty else { throw RunArgumentError("\"--\" must follow an image") }
                var collected: [String] = []
                while index < arguments.count, arguments[index] != "---" {
                    collected.append(arguments[index])
                    index += 1
                }
                apps[apps.count - 1].arguments = collected
                continue
            }
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                let known = valued.union(IsolatorOptions.valued).union(IsolatorOptions.boolean)
                guard known.contains(name) else {
                    throw RunArgumentError("unknown flag \(argument) (app flags after an image are: "
                        + known.sorted().map { "--" + $0 }.joined(separator: ", ") + ")")
                }
                guard !apps.isEmpty else { throw RunArgumentError("--\(name) must follow an image") }
                let value: String
                if parts.count == 2 {
                    value = String(parts[1])
                } else if IsolatorOptions.boolean.contains(name) {
                    value = "true"
                } else {
                    guard index < arguments.count else { throw RunArgumentError("--\(name) needs a value") }
                    value = arguments[index]
                    index += 1
                }
                try apply(name, value, to: &apps[apps.count - 1])
                continue
            }
            apps.append(AppOptions(image: argument))
        }
        return apps
    }

    static func apply(_ flag: String, _ value: String, to app: inout AppOptions) throws {
        switch flag {
        case "exec": app.exec = value
        case "name": app.name = value
        case "user": app.user = value
        case "group": app.group = value
        case "working-dir": app.workingDirectory = value
        case "environment": app.environmentPairs.append(try AppOptions.NameValue(parsing: value, flag: "--environment"))
        case "mount": app.mounts.append(try AppOptions.MountOption(parsing: value))
        default: try app.isolators.apply(flag, value)
        }
    }
}
