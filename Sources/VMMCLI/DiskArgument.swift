import ArgumentParser

/// `--disk PATH` or `--disk PATH,ro`.
struct DiskArgument: ExpressibleByArgument, Equatable {
    let path: String
    let readOnly: Bool

    init?(argument: String) {
        var path = Substring(argument)
        var readOnly = false
        if argument.hasSuffix(",ro") {
            path = path.dropLast(3)
            readOnly = true
        } else if argument.hasSuffix(",rw") {
            path = path.dropLast(3)
        }
        guard !path.isEmpty, !path.contains(",") else { return nil }
        self.path = String(path)
        self.readOnly = readOnly
    }
}
