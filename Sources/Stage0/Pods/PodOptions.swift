import ArgumentParser

/// The pod-level flags `rkt run` and `rkt prepare` share (given before the first image).
struct PodOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Volume to make available to the pod: NAME,kind=host|empty[,source=PATH][,readOnly=BOOL][,recursive=BOOL]"
            + "[,mode=…][,uid=…][,gid=…].",
        valueName: "volume"))
    var volume: [String] = []

    @Option(help: ArgumentHelp("Mount a volume into every app: volume=NAME,target=PATH (after an image: into that app only).", valueName: "mount"))
    var mount: [String] = []

    @Option(help: ArgumentHelp("Port to forward: NAME:[HOSTIP:]HOSTPORT.", valueName: "port"))
    var port: [String] = []

    @Option(help: ArgumentHelp("An environment variable for every app: NAME=VALUE.", valueName: "NAME=VALUE"))
    var setEnv: [String] = []

    @Option(help: ArgumentHelp("A file of NAME=VALUE lines, set for every app.", valueName: "file"))
    var setEnvFile: [String] = []

    @Flag(help: "Give the apps the environment rkt runs with (lowest precedence).")
    var inheritEnv = false

    @Option(help: "Write the pod's UUID to this file.")
    var uuidFileSave: String?

    @Option(help: "Run the pod manifest in this file instead of building one from images and flags.")
    var podManifest: String?

    @Option(help: "Networks for the pod: default, host, none or a configured network (the fly flavor always uses the host's).")
    var net = "default"

    @Flag(help: "Copy each app's image tree into the pod instead of mounting an overlay over it (hosts without overlayfs; slower to start, uses disk per pod).")
    var noOverlay = false

    @Option(help: "When to pull an image: never (store only), new (if not in the store), update (always).")
    var pullPolicy = "new"

    @OptionGroup var stage1: Stage1Options

    func validate() throws {
        guard ["never", "new", "update"].contains(pullPolicy) else {
            throw ValidationError("--pull-policy: unknown value \"\(pullPolicy)\"; allowed: never, new, update")
        }
    }
}
