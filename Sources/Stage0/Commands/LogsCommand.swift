import ArgumentParser
import Foundation
import LinuxSupport
import Pods

/// `rkt logs [--app=NAME] UUID`: the output a multi-app pod of the namespace flavor kept per app
/// (`logs/APP` in the pod directory; stdout and stderr together, without the `APP: ` prefix `rkt run` shows).
/// Single-app pods pass their output straight through and keep none.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print the output an app of a pod kept.")

    @OptionGroup var globals: GlobalOptions

    @Option(help: "The app whose output to print (required when the pod has several apps).")
    var app: String?

    @Argument(help: "The pod's UUID (or a unique prefix).")
    var uuid: String

    func run() throws {
        let pod = try globals.findPod(uuid, in: try globals.openPodRepository())
        let manifest = try PodReport.manifest(of: pod)
        let names = manifest.apps.map(\.name.value)
        let name: String
        if let app {
            guard names.contains(app) else { throw CommandFailure(message: "pod \(pod.uuid) has no app named \(app)") }
            name = app
        } else {
            guard names.count == 1 else {
                throw CommandFailure(message: "pod \(pod.uuid) has several apps; choose one with --app (\(names.joined(separator: ", ")))")
            }
            name = names[0]
        }
        let path = pod.files.appLog(name)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT {
                throw CommandFailure(message: "pod \(pod.uuid) kept no log for app \(name) (single-app pods and the fly flavor pass output through)")
            }
            throw CommandFailure(message: "\(SystemError.current("open", path: path))")
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try retryingOnInterrupt("read", path: path) { buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
            if count == 0 { break }
            FileHandle.standardOutput.write(Data(buffer[0..<count]))
        }
    }
}
