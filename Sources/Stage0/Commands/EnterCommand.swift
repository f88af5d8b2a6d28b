import AppC
import ArgumentParser
import Foundation
import LinuxSupport
import Pods

/// `rkt enter [--app=NAME] UUID [COMMAND [ARGS…]]`: run a command (default /bin/sh) inside a running pod's
/// app, through the stage1's `enter` entrypoint.
struct EnterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enter", abstract: "Enter the namespaces of an app within a rkt pod.")

    @OptionGroup var globals: GlobalOptions

    @Option(help: "Name of the app to enter within the specified pod.")
    var app: String?

    @Argument(help: "The pod's UUID (or a unique prefix).")
    var uuid: String

    @Argument(parsing: .captureForPassthrough, help: "The command to run (default /bin/sh) and its arguments.")
    var command: [String] = []

    static let enterAnnotation = "coreos.com/rkt/stage1/enter"

    func run() throws {
        let pod = try globals.findPod(uuid, in: try globals.openPodRepository())
        let state = try pod.state()
        guard state == .running else {
            throw CommandFailure(message: PodError.wrongState(uuid: pod.uuid, state: state, expected: "running").description)
        }
        let manifest = try PodReport.manifest(of: pod)
        let appName: String
        if let app {
            guard manifest.apps.contains(where: { $0.name.value == app }) else {
                throw CommandFailure(message: "pod \(pod.uuid) has no app named \(app)")
            }
            appName = app
        } else {
            guard manifest.apps.count == 1, let only = manifest.apps.first else {
                let names = manifest.apps.map(\.name.value).joined(separator: ", ")
                throw CommandFailure(message: "pod \(pod.uuid) has several apps; choose one with --app (\(names))")
            }
            appName = only.name.value
        }
        let files = pod.files
        guard let pid = try SmallFile.readInteger(files.pid) else {
            throw CommandFailure(message: "pod \(pod.uuid) is not ready yet (no pid); try again or use rkt status --wait-ready")
        }
        guard let text = try SmallFile.read(files.stage1Manifest, limit: 1 << 20),
              let entrypoint = try ImageManifest(jsonData: Data(text.utf8)).annotation(Self.enterAnnotation) else {
            throw CommandFailure(message: "pod \(pod.uuid): its stage1 has no \(Self.enterAnnotation) entrypoint")
        }
        let program = try files.stage1Entrypoint(entrypoint)
        guard chdir(files.directory) == 0 else { throw SystemError.current("chdir", path: files.directory) }
        let arguments = [program, "--pid=\(pid)", "--appname=\(appName)", "--"] + (command.isEmpty ? ["/bin/sh"] : command)
        try ProcessExec.replace(program: program, arguments: arguments,
                                environment: ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" })
    }
}
