import CStage1
import Glibc
import Isolation
import LinuxSupport

/// Starts one app from the pod init: fork, and in the child join the app's cgroup, take its stdio, enter a
/// mount namespace of its own and pivot_root into its rootfs (read-only when asked), change to its working
/// directory, drop capabilities from the bounding set, take on its groups and user, set the remaining
/// capabilities, no_new_privs and the seccomp filter, and exec. A close-on-exec pipe tells the init whether
/// the exec happened (EOF) or which step failed (step number and errno).
struct AppLauncher {
    let app: PreparedApp
    let stdio: [Int32]
    let cgroup: PodCgroup

    enum Step: Int32, CustomStringConvertible {
        case cgroup = 1, stdio, oomScore, mountNamespace, readOnlyRoot, pivotRoot, chdir, boundingSet, setgroups,
             setgid, setuid, capabilities, noNewPrivileges, seccomp, exec

        var description: String {
            switch self {
            case .cgroup: return "join the app's cgroup"
            case .stdio: return "set up stdin/stdout/stderr"
            case .oomScore: return "set oom_score_adj"
            case .mountNamespace: return "enter a mount namespace"
            case .readOnlyRoot: return "make the root filesystem read-only"
            case .pivotRoot: return "pivot_root into the app's rootfs"
            case .chdir: return "chdir to the working directory"
            case .boundingSet: return "drop capabilities from the bounding set"
            case .setgroups: return "setgroups"
            case .setgid: return "setgid"
            case .setuid: return "setuid"
            case .capabilities: return "set capabilities"
            case .noNewPrivileges: return "set no_new_privs"
            case .seccomp: return "load the seccomp filter"
            case .exec: return "exec"
            }
        }
    }

    /// Forks and execs the app; returns its pid (in the pod's PID namespace) once the exec succeeded.
    func start() throws -> pid_t {
        let report = try PipeEnds.make()
        let plan = app.plan
        let argv = CStringArray(plan.arguments)
        let envp = CStringArray(plan.environment)
        let groups = plan.supplementaryGIDs.isEmpty ? [plan.gid] : plan.supplementaryGIDs.map { gid_t($0) }
        let oomScore = app.oomScoreAdjustment.map { Array("\($0)".utf8) }

        let child = fork()
        if child < 0 { throw SystemError.current("fork app \(app.name)") }
        if child == 0 {
            close(report.read)
            func failed(_ step: Step) -> Never {
                var message: [Int32] = [step.rawValue, errno]
                _ = message.withUnsafeMutableBytes { write(report.write, $0.baseAddress, $0.count) }
                _exit(127)
            }
            if !cgroup.join(app: app.name) { failed(.cgroup) }
            for (target, fd) in stdio.enumerated() where fd != Int32(target) {
                if dup2(fd, Int32(target)) < 0 { failed(.stdio) }
            }
            if let oomScore {
                let fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC)
                if fd < 0 || oomScore.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) != oomScore.count { failed(.oomScore) }
                close(fd)
            }
            if cstage1_unshare(cstage1_clone_newns) != 0 { failed(.mountNamespace) }
            // pivot_root needs the new root to be a mount point: a --no-overlay copy is a plain directory.
            if mount(app.rootfs, app.rootfs, nil, UInt(MS_BIND) | UInt(MS_REC), nil) != 0 { failed(.pivotRoot) }
            if chdir(app.rootfs) != 0 { failed(.pivotRoot) }
            if app.readOnlyRootFS,
               mount(nil, app.rootfs, nil, UInt(MS_REMOUNT) | UInt(MS_BIND) | UInt(MS_RDONLY), nil) != 0 {
                failed(.readOnlyRoot)
            }
            if cstage1_pivot_root(".", ".") != 0 || umount2(".", Int32(MNT_DETACH)) != 0 || chdir("/") != 0 {
                failed(.pivotRoot)
            }
            if chdir(plan.workingDirectory) != 0 { failed(.chdir) }
            if let capabilities = app.capabilities, !capabilities.dropBoundingSet() { failed(.boundingSet) }
            if groups.withUnsafeBufferPointer({ setgroups($0.count, $0.baseAddress) }) != 0 { failed(.setgroups) }
            if setgid(plan.gid) != 0 { failed(.setgid) }
            if setuid(plan.uid) != 0 { failed(.setuid) }
            if let capabilities = app.capabilities, !capabilities.applyToProcess() { failed(.capabilities) }
            if app.noNewPrivileges, cstage1_set_no_new_privs() != 0 { failed(.noNewPrivileges) }
            if let seccomp = app.seccomp {
                let result = seccomp.load()
                if result != 0 { errno = -result; failed(.seccomp) }
            }
            argv.withUnsafeArray { argvPointer in
                envp.withUnsafeArray { envpPointer in
                    _ = execve(plan.program, argvPointer, envpPointer)
                }
            }
            failed(.exec)
        }
        close(report.write)
        defer { close(report.read) }
        var message: [Int32] = [0, 0]
        let count = message.withUnsafeMutableBytes { buffer -> Int in
            while true {
                let result = read(report.read, buffer.baseAddress, buffer.count)
                if result < 0 && errno == EINTR { continue }
                return result
            }
        }
        if count > 0 {
            _ = ExitStatus.wait(child)
            let step = Step(rawValue: message[0])
            throw NamespaceError("app \(app.name): \(step?.description ?? "start") failed: \(String(cString: strerror(message[1])))"
                + (step == .exec ? " (\(plan.program))" : ""))
        }
        return child
    }
}
