/// The arguments stage0 passes to a stage1 `enter` entrypoint: `--pid=PID --appname=APP -- COMMAND ARGS…`
/// (rkt's stage1 contract; the command may also follow without `--`).
public struct Stage1EnterArguments: Equatable, Sendable {
    public var pid: Int32?
    public var appName: String?
    public var command: [String] = []

    public init(parsing arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                command = Array(arguments[index...])
                break
            }
            if argument.hasPrefix("--pid=") {
                guard let value = Int32(argument.dropFirst("--pid=".count)), value > 0 else {
                    throw PodError.invalidArgument("enter: \(argument) is not a valid pid")
                }
                pid = value
            } else if argument.hasPrefix("--appname=") {
                appName = String(argument.dropFirst("--appname=".count))
            } else if !argument.hasPrefix("-") {
                command = Array(arguments[(index - 1)...])
                break
            }
        }
        guard !command.isEmpty else { throw PodError.invalidArgument("enter: no command given") }
    }
}
