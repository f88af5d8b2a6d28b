import ArgumentParser
import Pods

/// `rkt run-prepared UUID`: run a pod made by `rkt prepare`.
struct RunPreparedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-prepared",
        abstract: "Run a prepared pod.")

    @OptionGroup var globals: GlobalOptions

    @Flag(help: "Run the pod interactively (stdin is passed to the app).")
    var interactive = false

    @Option(help: "The pod's hostname (not applied by the fly flavor).")
    var hostname: String?

    @Option(help: "Networks for the pod (the fly flavor always uses the host's).")
    var net = "default"

    @OptionGroup var dnsOptions: DNSOptions

    @Argument(help: "The prepared pod's UUID (or a unique prefix).")
    var uuid: String

    func run() throws {
        let stage1Files = try dnsOptions.stage1Files()
        let store = try globals.openStore()
        let repository = try globals.openPodRepository()
        let pod = try globals.findPod(uuid, in: repository)
        guard try pod.tryLock(.exclusive) else { throw CommandFailure(message: PodError.busy(pod.uuid).description) }
        let state = try pod.state()
        guard state == .prepared else {
            throw CommandFailure(message: PodError.wrongState(uuid: pod.uuid, state: state, expected: "prepared").description)
        }
        var arguments = globals.stage1Arguments(uuid: pod.uuid)
        arguments.net = net
        arguments.interactive = interactive
        arguments.hostname = hostname
        try PodLauncher(store: store, globals: globals).launch(pod, arguments: arguments, stage1Files: stage1Files)
    }
}
