import ArgumentParser
import Pods

/// `rkt rm UUID…`: remove pods that are not running (exited, prepared, aborted, garbage).
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove all files and resources associated with an exited pod.")

    @OptionGroup var globals: GlobalOptions

    @Option(help: "Read the pod UUID from this file instead of the arguments.")
    var uuidFile: String?

    @Argument(help: "UUIDs (or unique prefixes) of the pods to remove.")
    var uuids: [String] = []

    func run() throws {
        let store = try globals.openStore()
        let repository = try globals.openPodRepository()
        let targets = try uuidFile.map { [try GlobalOptions.uuid(fromFile: $0)] } ?? uuids
        guard !targets.isEmpty else { throw CommandFailure(message: "rm: give a pod UUID or --uuid-file") }
        var failed = false
        for text in targets {
            do {
                let pod = try globals.findPod(text, in: repository)
                try remove(pod, reaper: PodReaper(store: store, globals: globals))
                print(pod.uuid)
            } catch {
                failed = true
                Console.error("rkt: rm \(text): \((error as? CommandFailure)?.message ?? "\(error)")")
            }
        }
        if failed { throw CommandFailure(message: "") }
    }

    private func remove(_ pod: Pod, reaper: PodReaper) throws {
        guard try pod.tryLock(.exclusive) else {
            let state = (try? pod.state())?.rawValue ?? "busy"
            let why = state == PodState.running.rawValue ? "running" : "in use by another rkt process"
            throw CommandFailure(message: "pod \(pod.uuid) is \(why); stop it first")
        }
        try pod.refresh()
        switch pod.location {
        case .run:
            try pod.move(to: .exitedGarbage)
        case .embryo, .prepare, .prepared:
            try pod.move(to: .garbage)
        case .exitedGarbage, .garbage:
            break
        }
        try reaper.delete(pod)
    }
}
