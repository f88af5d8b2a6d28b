/// The entrypoints of the stage1 contract that the namespace flavor implements.
enum NamespaceEntrypoint: String {
    case run
    case enter
    case gc
    case stop

    /// Runs the entrypoint; returns the process exit status.
    func run(_ arguments: [String]) throws -> Int32 {
        switch self {
        case .run: return try NamespaceRun(arguments: arguments).run()
        case .enter: return try NamespaceEnter(arguments: arguments).run()
        case .gc: return try NamespaceGarbageCollect(arguments: arguments).run()
        case .stop: return try NamespaceStop(arguments: arguments).run()
        }
    }
}
