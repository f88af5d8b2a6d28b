import CStage1
import Glibc
import LinuxSupport
import Pods

/// Starts the app: fork, and in the child chroot into the app's rootfs, change to its working directory,
/// take on its groups and user, and exec. A close-on-exec pipe tells the parent whether the exec happened
/// (EOF) or which step failed (the step number and errno), so failures are reported with their cause.
struct AppProcess {
    let plan: AppExecPlan
    let rootfs: String

    enum Step: Int32, CustomStringConvertible {
        case chroot = 1, chdir, setgroups, setgid, setuid, parentDeathSignal, exec

        var description: String {
            switch self {
            case .chroot: return "chroot"
            case .chdir: return "chdir to the working directory"
            case .setgroups: return "setgroups"
            case .setgid: return "setgid"
            case .setuid: return "setuid"
            case .parentDeathSignal: return "set the parent death signal"
            case .exec: return "exec"
            }
        }
    }

    /// Forks and execs the app; returns its pid once the exec succeeded.
    func start() throws -> pid_t {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SystemError.current("pipe") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let argv = CStringArray(plan.arguments)
        let envp = CStringArray(plan.environment)
        let root = strdup(rootfs)!, workdir = strdup(plan.workingDirectory)!, program = strdup(plan.program)!
        defer { free(root); free(workdir); free(program) }
        let groups = plan.supplementaryGIDs.isEmpty ? [plan.gid] : plan.supplementaryGIDs.map { gid_t($0) }
        let uid = plan.uid, gid = plan.gid, parent = getpid()

        let child = fork()
        if child < 0 { throw SystemError.current("fork") }
        if child == 0 {
            close(fds[0])
            func failed(_ step: Step) -> Never {
                var report: [Int32] = [step.rawValue, errno]
                _ = report.withUnsafeMutableBytes { write(fds[1], $0.baseAddress, $0.count) }
                _exit(127)
            }
            if chdir(root) != 0 || chroot(".") != 0 { failed(.chroot) }
            if chdir(workdir) != 0 { failed(.chdir) }
            if groups.withUnsafeBufferPointer({ setgroups($0.count, $0.baseAddress) }) != 0 { failed(.setgroups) }
            if setgid(gid) != 0 { failed(.setgid) }
            if setuid(uid) != 0 { failed(.setuid) }
            // The app dies with its stage1 (set after the credential changes, which clear it).
            if cstage1_set_parent_death_signal(SIGKILL) != 0 || getppid() != parent { failed(.parentDeathSignal) }
            argv.withUnsafeArray { argvPointer in
                envp.withUnsafeArray { envpPointer in
                    _ = execve(program, argvPointer, envpPointer)
                }
            }
            failed(.exec)
        }
        close(fds[1])
        defer { close(fds[0]) }
        var report: [Int32] = [0, 0]
        let count = report.withUnsafeMutableBytes { buffer -> Int in
            while true {
                let result = read(fds[0], buffer.baseAddress, buffer.count)
                if result < 0 && errno == EINTR { continue }
                return result
            }
        }
        if count > 0 {
            var status: Int32 = 0
            _ = waitpid(child, &status, 0)
            let step = Step(rawValue: report[0])?.description ?? "start"
            throw FlyError("app \(plan.appName): \(step) failed: \(String(cString: strerror(report[1])))"
                + (step == "exec" ? " (\(plan.program))" : ""))
        }
        return child
    }

    /// Waits for the app; returns its exit status, or 128 + the signal number that killed it.
    static func wait(_ pid: pid_t) throws -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { throw SystemError.current("waitpid") }
        }
        let signal = status & 0x7f
        if signal == 0 { return (status >> 8) & 0xff }
        return 128 + signal
    }
}
