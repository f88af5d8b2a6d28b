import Foundation
import LinuxSupport
import Pods

/// The `stop` entrypoint: `stop [--force] UUID`. Sends the app SIGTERM (SIGKILL with `--force`); stage1's
/// run process then records the exit status and exits, releasing the pod lock.
struct FlyStop {
    let arguments: Stage1StopArguments

    init(arguments: [String]) throws {
        self.arguments = Stage1StopArguments(parsing: arguments)
    }

    func run() throws -> Int32 {
        try arguments.signalPodProcess(pidFile: PodFiles(directory: FileManager.default.currentDirectoryPath).pid)
        return 0
    }
}
