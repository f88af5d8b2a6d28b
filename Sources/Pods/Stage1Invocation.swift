/// Which stage1 entrypoint a flavor's one binary was started as: the last component of argv[0] (stage0 runs
/// the links `run`, `enter`, `gc`, `stop` of the stage1 image), else its first argument (`stage1-X run …`,
/// for tests and debugging).
public struct Stage1Invocation<Entrypoint: RawRepresentable> where Entrypoint.RawValue == String {
    /// nil when neither names an entrypoint; `name` says what was tried.
    public let entrypoint: Entrypoint?
    public let name: String
    public let arguments: [String]

    public init(_ commandLine: [String]) {
        var name = String(commandLine.first?.split(separator: "/").last ?? "")
        var arguments = Array(commandLine.dropFirst())
        if Entrypoint(rawValue: name) == nil, let first = arguments.first, Entrypoint(rawValue: first) != nil {
            name = first
            arguments.removeFirst()
        }
        self.name = name
        self.arguments = arguments
        entrypoint = Entrypoint(rawValue: name)
    }
}
