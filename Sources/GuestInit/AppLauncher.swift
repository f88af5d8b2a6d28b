import CKvmPod
import CLinux
import Glibc
import GuestProtocol
import LinuxSupport

/// Starts one process chrooted into an app's root: fork, then in the child a new session, stdio, chroot,
/// working directory, groups/gid/uid and exec. A close-on-exec pipe tells the parent which step failed and
/// with which errno; an empty read means the exec happened.
struct AppLauncher {
    struct Process {
        var root: String
        var workingDirectory: String
        /// The path (inside the root) to exec, and its argv.
        var program: String
        var arguments: [String]
        var environment: [String]
        var uid: UInt32
        var gid: UInt32
        var supplementaryGIDs: [UInt32]
        /// stdin, stdout, stderr for the child (duplicated onto 0, 1, 2).
        var stdio: (Int32, Int32, Int32)
        /// Capabilities kept in the bounding set (nil: all) and a seccomp program loaded last (nil: none).
        var retainedCapabilities: [Int32]? = nil
        var seccompFilter: [UInt8]? = nil
    }

    private static let steps = ["setsid", "dup2", "chroot", "chdir to the working directory", "setgroups", "setgid",
                                "setuid", "exec", "signal mask", "drop capabilities from the bounding set",
                                "set no_new_privs", "load the seccomp filter"]
    static let prCapabilityBoundingSetDrop: Int32 = 24
    static let prSetNoNewPrivileges: Int32 = 38
    static let prSetSeccomp: Int32 = 22
    static let seccompModeFilter: UInt = 2

    static func start(_ process: Process) throws -> pid_t {
        let argv = CStringArray(process.arguments)
        let envp = CStringArray(process.environment)
        let program = process.program
        var groups = process.supplementaryGIDs.map { gid_t($0) }
        let dropped = process.retainedCapabilities.map { retained in
            (0...lastCapability()).filter { !retained.contains($0) }
        } ?? []
        var filter = (process.seccompFilter ?? []).withUnsafeBytes { raw in
            (0..<raw.count / 8).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: sock_filter.self) }
        }
        var errorPipe: [Int32] = [-1, -1]
        guard pipe(&errorPipe) == 0 else { throw SystemError.current("pipe") }
        for fd in errorPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }  // PID 1 is single-threaded: no race

        let pid = fork()
        if pid == 0 {
            func fail(_ step: Int) -> Never {
                var report: [Int32] = [Int32(step), errno]
                _ = report.withUnsafeMutableBytes { Glibc.write(errorPipe[1], $0.baseAddress, $0.count) }
                _exit(127)
            }
            var empty = sigset_t()
            sigemptyset(&empty)
            if sigprocmask(SIG_SETMASK, &empty, nil) != 0 { fail(8) }
            if setsid() < 0 { fail(0) }
            umask(0o022)  // PID 1 runs with 0; apps get the usual default
            let (input, output, error) = process.stdio
            if dup2(input, 0) < 0 || dup2(output, 1) < 0 || dup2(error, 2) < 0 { fail(1) }
            if chdir(process.root) != 0 || chroot(".") != 0 { fail(2) }
            if chdir(process.workingDirectory) != 0 { fail(3) }
            for capability in dropped where clinux_prctl(prCapabilityBoundingSetDrop, UInt(capability), 0, 0, 0) != 0 { fail(9) }
            if setgroups(groups.count, &groups) != 0 { fail(4) }
            if setgid(process.gid) != 0 { fail(5) }
            if setuid(process.uid) != 0 { fail(6) }
            if !filter.isEmpty {
                if clinux_prctl(prSetNoNewPrivileges, 1, 0, 0, 0) != 0 { fail(10) }
                let loaded = filter.withUnsafeMutableBufferPointer { instructions in
                    var program = sock_fprog(len: UInt16(instructions.count), filter: instructions.baseAddress)
                    return withUnsafeMutablePointer(to: &program) {
                        clinux_prctl(prSetSeccomp, seccompModeFilter, UInt(bitPattern: $0), 0, 0)
                    }
                }
                if loaded != 0 { fail(11) }
            }
            argv.withUnsafeArray { arguments in
                envp.withUnsafeArray { environment in _ = execve(program, arguments, environment) }
            }
            fail(7)
        }
        close(errorPipe[1])
        defer { close(errorPipe[0]) }
        guard pid > 0 else { throw SystemError.current("fork") }

        var report: [Int32] = [0, 0]
        let count = report.withUnsafeMutableBytes { buffer in
            var result: Int
            repeat { result = read(errorPipe[0], buffer.baseAddress, buffer.count) } while result < 0 && errno == EINTR
            return result
        }
        if count > 0 {
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            let step = Int(report[0])
            throw SystemError(errno: report[1], operation: (step < steps.count ? steps[step] : "start") + " \(program)",
                              path: step == 3 ? process.workingDirectory : nil)
        }
        return pid
    }

    /// The highest capability number the guest kernel knows.
    static func lastCapability() -> Int32 {
        let text = (try? GuestFiles.readText("/proc/sys/kernel/cap_last_cap", limit: 64)) ?? []
        return Int32(String(decoding: text.filter { $0 != 0x0A }, as: UTF8.self)) ?? 40
    }

    /// The exit status as a shell reports it: the code, or 128 + the signal number.
    static func exitStatus(fromWaitStatus status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
