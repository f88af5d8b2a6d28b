/// rkt (cobra) accepts global flags anywhere: `rkt --dir=/tmp/x image list` as well as `rkt image list --dir=/tmp/x`.
/// The argument parser sees global options only after the subcommand, so leading global options are moved
/// behind the subcommand path (`image list`) before parsing.
enum ArgumentReordering {
    /// Global options that take a value (as `--flag value` or `--flag=value`).
    static let valued: Set<String> = ["--dir", "--insecure-options", "--local-config", "--system-config", "--user-config"]
    /// Global options without a value (`--flag` or `--flag=true`).
    static let boolean: Set<String> = ["--debug", "--trust-keys-from-https"]
    /// Commands that have subcommands of their own.
    static let groups: Set<String> = ["image"]

    static func movingLeadingGlobalOptions(_ arguments: [String]) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let flag = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            if valued.contains(flag) {
                globals.append(argument)
                if !argument.contains("="), index + 1 < arguments.count {
                    globals.append(arguments[index + 1])
                    index += 1
                }
            } else if boolean.contains(flag) {
                globals.append(argument)
            } else {
                break
            }
            index += 1
        }
        guard !globals.isEmpty, index < arguments.count else { return arguments }
        var rest = Array(arguments[index...])
        var pathLength = 1
        if groups.contains(rest[0]), rest.count > 1, !rest[1].hasPrefix("-") { pathLength = 2 }
        rest.insert(contentsOf: globals, at: pathLength)
        return rest
    }
}
