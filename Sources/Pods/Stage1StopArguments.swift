import Glibc
import LinuxSupport

/// The arguments stage0 passes to a stage1 `stop` entrypoint: `stop [--force] UUID` (rkt's stage1 contract).
public struct Stage1StopArguments: Equatable, Sendable {
    public var force = false
    public var uuid: String?

    public init(parsing arguments: [String]) {
        for argument in arguments {
            switch argument {
            case "--force", "--force=true": force = true
            case "--force=false": force = false
            default: if !argument.hasPrefix("-") { uuid = argument }
            }
        }
    }

    /// What the fly and namespace flavors do: SIGTERM (SIGKILL with `--force`) to the process the pod's `pid`
    /// file names; a process already gone is not an error.
    public func signalPodProcess(pidFile: String) throws {
        guard let pid = try SmallFile.readInteger(pidFile), pid > 0 else {
            throw PodError.invalidArgument("stop: pod \(uuid ?? "") has no pid file (is it running?)")
        }
        guard kill(pid_t(pid), force ? SIGKILL : SIGTERM) == 0 || errno == ESRCH else {
            throw SystemError.current("kill \(pid)")
        }
    }
}
