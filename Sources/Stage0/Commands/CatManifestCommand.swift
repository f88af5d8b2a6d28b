import ArgumentParser
import Pods

/// `rkt cat-manifest [--pretty-print] UUID`: print a pod's manifest.
struct CatManifestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cat-manifest", abstract: "Inspect and print the pod manifest.")

    @OptionGroup var globals: GlobalOptions

    @Option(help: "Apply indent to format the output.")
    var prettyPrint = true

    @Argument(help: "The pod's UUID (or a unique prefix).")
    var uuid: String

    func run() throws {
        let pod = try globals.findPod(uuid, in: try globals.openPodRepository())
        let manifest = try PodReport.manifest(of: pod)
        print(String(decoding: try manifest.jsonData(pretty: prettyPrint), as: UTF8.self))
    }
}
