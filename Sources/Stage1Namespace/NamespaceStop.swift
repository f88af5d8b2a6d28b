import Foundation
import LinuxSupport
import Pods

/// The `stop` entrypoint: `stop [--force] UUID`. Sends the pod init SIGTERM, which it passes to every process
/// of the pod (and SIGKILLs what is left after `InitSignals.stopTimeout` seconds); `--force` sends SIGKILL to
/// the init at once, which the kernel turns into SIGKILL for the whole pod. Stage1's `run` process then
/// records the exit statuses and exits, releasing the pod lock.
struct NamespaceStop {
    let arguments: Stage1StopArguments

    init(arguments: [String]) throws {
        self.arguments = Stage1StopArguments(parsing: arguments)
    }

    func run() throws -> Int32 {
        try arguments.signalPodProcess(pidFile: PodFiles(directory: FileManager.default.currentDirectoryPath).pid)
        return 0
    }
}
