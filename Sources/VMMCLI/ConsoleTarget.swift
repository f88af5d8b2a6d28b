import ArgumentParser

/// `--console stdio` or `--console file:PATH`.
enum ConsoleTarget: ExpressibleByArgument, Equatable {
    case stdio
    case file(String)

    init?(argument: String) {
        if argument == "stdio" {
            self = .stdio
        } else if argument.hasPrefix("file:"), argument.count > 5 {
            self = .file(String(argument.dropFirst(5)))
        } else {
            return nil
        }
    }
}
