import Foundation
import GuestProtocol
import LinuxSupport
import Pods

/// The `stop` entrypoint: `stop [--force] UUID`. Asks GuestInit to stop the apps (SIGTERM, then SIGKILL after
/// a grace period); the guest then powers off and stage1's run process records the statuses. `--force`,
/// or a guest that does not answer, kills the VMM instead.
struct KvmStop {
    static let graceSeconds = 10
    let force: Bool

    init(arguments: [String]) throws {
        force = Stage1StopArguments(parsing: arguments).force
    }

    func run() throws -> Int32 {
        let pod = PodFiles(directory: FileManager.default.currentDirectoryPath)
        let files = KvmPodFiles(pod: pod)
        guard let pid = try SmallFile.readInteger(files.vmmPid), pid > 0 else {
            throw KvmError("stop: the pod has no VMM pid file \(files.vmmPid) (is it running?)")
        }
        if !force {
            do {
                let fd = try UnixSocket.connectToGuest(vsock: files.vsock, port: GuestPorts.guest)
                defer { close(fd) }
                try AtomicFile.writeAll(fd, Array(GuestMessage.stop(graceSeconds: Self.graceSeconds).line.utf8), path: files.vsock)
                return 0
            } catch {
                KvmFailure.warn("the guest did not take the stop request (\(error)); stopping its VM")
            }
        }
        guard kill(pid_t(pid), force ? SIGKILL : SIGTERM) == 0 || errno == ESRCH else {
            throw SystemError.current("kill \(pid)")
        }
        return 0
    }
}
