/// The entrypoints of the stage1 contract that the fly flavor implements.
enum FlyEntrypoint: String {
    case run
    case enter
    case gc
    case stop

    /// Runs the entrypoint; returns the process exit status.
    func run(_ arguments: [String]) throws -> Int32 {
        switch self {
        case .run: return try FlyRun(arguments: arguments).run()
        case .enter: return try FlyEnter(arguments: arguments).run()
        case .gc: return try FlyGarbageCollect(arguments: arguments).run()
        case .stop: return try FlyStop(arguments: arguments).run()
        }
    }
}
