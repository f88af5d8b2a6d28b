import Foundation
import LinuxSupport
import Pods

/// The `stop` entrypoint: `stop [--force] UUID`. Sends the pod init SIGTERM, which it passes to every process
/// of the pod (and SIGKILLs what is left after `InitSignals.stopTimeout` seconds); `--force` sends SIGKILL to
/// the init at once, which the kernel turns into SIGKILL for the whole pod. Stage1's `run` process then
/// records the exit statuses and exits, releasing the pod lock.
struct NamespaceStop {
    var force = false
    var uuid: String?

    init(arguments: [String]) throws {
        for argument in arguments {
            if argument == "--force" || argument == "--force=true" {
                force = true
            } else if argument == "--force=false" {
                force = false
            } else if !argument.hasPrefix("-") {
                uuid = argument
            }
        }
    }

    func run() throws -> Int32 {
        let files = PodFiles(directory: FileManager.default.currentDirectoryPath)
        guard let pid = try SmallFile.readInteger(files.pid), pid > 0 else {
            throw NamespaceError("stop: pod \(uuid ?? "") has no pid file (is it running?)")
        }
        guard kill(pid_t(pid), force ? SIGKILL : SIGTERM) == 0 else {
            if errno == ESRCH { return 0 }
            throw SystemError.current("kill \(pid)")
        }
        return 0
    }
}
