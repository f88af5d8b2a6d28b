import ArgumentParser
import Pods

/// `rkt run [flags] IMAGE [app flags] [-- ARGS… ---] [IMAGE …]`: prepare a pod and exec its stage1. For the
/// fly flavor the exit status is the app's.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run image(s) in a pod.",
        discussion: """
            Pod flags come before the first image. After each image come that app's flags: --exec, --name, \
            --user, --group, --working-dir, --environment=NAME=VALUE, --mount volume=NAME,target=PATH, the isolator \
            flags --memory, --cpu, --cpu-shares, --oom-score-adj, --caps-retain, --caps-remove, --seccomp, \
            --readonly-rootfs and --supplementary-gids (applied by the namespace flavor), then \
            optionally `--` and the app's arguments, ended by `---`.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var pod: PodOptions

    @Flag(help: "Run the pod interactively (stdin is passed to the app).")
    var interactive = false

    @Option(help: "The pod's hostname (not applied by the fly flavor, which shares the host's).")
    var hostname: String?

    @OptionGroup var dnsOptions: DNSOptions

    @Argument(parsing: .captureForPassthrough, help: "Images, each followed by its app flags and arguments.")
    var images: [String] = []

    func validate() throws {
        try ImageArgumentsHelp.check(images, for: Self.self)
    }

    func run() throws {
        let stage1Files = try dnsOptions.stage1Files()
        let store = try globals.openStore()
        let repository = try globals.openPodRepository()
        let creator = PodCreator(store: store, repository: repository, globals: globals, options: pod)
        let prepared = try creator.create(imageArguments: images)
        if interactive, prepared.manifest.apps.count > 1 {
            try? PodReaper(store: store, globals: globals).discard(prepared.pod)
            throw CommandFailure(message: "--interactive supports only one app per pod")
        }
        var arguments = globals.stage1Arguments(uuid: prepared.pod.uuid)
        arguments.net = pod.net
        arguments.interactive = interactive
        arguments.hostname = hostname
        try PodLauncher(store: store, globals: globals).launch(prepared.pod, arguments: arguments, stage1Files: stage1Files)
    }
}
