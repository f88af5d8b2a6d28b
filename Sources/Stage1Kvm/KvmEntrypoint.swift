/// The entrypoints of the stage1 contract that the kvm flavor implements.
enum KvmEntrypoint: String {
    case run
    case enter
    case gc
    case stop

    /// Runs the entrypoint; returns the process exit status. `program` is argv[0]: the stage1's own files
    /// (VMM, kernel, guest root disk) sit next to it.
    func run(_ arguments: [String], program: String) throws -> Int32 {
        switch self {
        case .run: return try KvmRun(arguments: arguments, stage1: KvmStage1Files(program: program)).run()
        case .enter: return try KvmEnter(arguments: arguments).run()
        case .gc: return try KvmGarbageCollect(arguments: arguments).run()
        case .stop: return try KvmStop(arguments: arguments).run()
        }
    }
}
