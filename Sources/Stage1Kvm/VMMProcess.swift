import CLinux
import Foundation
import LinuxSupport

/// The pod's VMM, started with posix_spawn (the stage1 is multi-threaded, so no fork) and watched through a
/// pidfd that becomes readable when it exits.
struct VMMProcess {
    let pid: pid_t
    let exitDescriptor: Int32

    static func spawn(program: String, arguments: [String]) throws -> VMMProcess {
        let argv = CStringArray([program] + arguments)
        let envp = CStringArray(ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" })
        var pid: pid_t = 0
        let result = argv.withUnsafeArray { arguments in
            envp.withUnsafeArray { environment in
                posix_spawn(&pid, program, nil, nil,
                            UnsafeMutablePointer(mutating: arguments), UnsafeMutablePointer(mutating: environment))
            }
        }
        guard result == 0 else { throw SystemError(errno: result, operation: "spawn", path: program) }
        let pidfd = Int32(truncatingIfNeeded: clinux_syscall6(434 /* pidfd_open */, Int(pid), 0, 0, 0, 0, 0))
        guard pidfd >= 0 else {
            let error = SystemError.current("pidfd_open \(pid)")
            kill(pid, SIGKILL)
            throw error
        }
        _ = fcntl(pidfd, F_SETFD, FD_CLOEXEC)
        return VMMProcess(pid: pid, exitDescriptor: pidfd)
    }

    /// Reaps the VMM (call once `exitDescriptor` is readable); returns how it ended.
    func wait() -> VMMTermination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        close(exitDescriptor)
        return VMMTermination(waitStatus: status)
    }
}
