import AppC
import ArgumentParser
import Foundation
import LinuxSupport
import Pods

/// `rkt stop [--force] UUID…`: ask each running pod's stage1 to stop it (its `stop` entrypoint).
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a pod.")

    @OptionGroup var globals: GlobalOptions

    @Flag(help: "Forced stopping (SIGKILL for the fly flavor).")
    var force = false

    @Option(help: "Read the pod UUID from this file instead of the arguments.")
    var uuidFile: String?

    @Argument(help: "UUIDs (or unique prefixes) of the pods to stop.")
    var uuids: [String] = []

    static let stopAnnotation = "coreos.com/rkt/stage1/stop"

    func run() throws {
        let repository = try globals.openPodRepository()
        let targets = try uuidFile.map { [try GlobalOptions.uuid(fromFile: $0)] } ?? uuids
        guard !targets.isEmpty else { throw CommandFailure(message: "stop: give a pod UUID or --uuid-file") }
        var failed = false
        for text in targets {
            do {
                let pod = try globals.findPod(text, in: repository)
                try stop(pod)
                print(pod.uuid)
            } catch {
                failed = true
                Console.error("rkt: stop \(text): \((error as? CommandFailure)?.message ?? "\(error)")")
            }
        }
        if failed { throw CommandFailure(message: "") }
    }

    private func stop(_ pod: Pod) throws {
        let state = try pod.state()
        guard state == .running else {
            throw CommandFailure(message: PodError.wrongState(uuid: pod.uuid, state: state, expected: "running").description)
        }
        let files = pod.files
        guard let text = try SmallFile.read(files.stage1Manifest, limit: 1 << 20),
              let entrypoint = try AppC.ImageManifest(jsonData: Data(text.utf8)).annotation(Self.stopAnnotation) else {
            throw CommandFailure(message: "pod \(pod.uuid): its stage1 has no \(Self.stopAnnotation) entrypoint")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try files.stage1Entrypoint(entrypoint))
        process.arguments = (force ? ["--force"] : []) + [pod.uuid]
        process.currentDirectoryURL = URL(fileURLWithPath: files.directory)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(message: "pod \(pod.uuid): stage1 stop exited with status \(process.terminationStatus)")
        }
    }
}
