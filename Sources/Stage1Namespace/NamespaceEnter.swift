import CStage1
import Foundation
import LinuxSupport
import Pods

/// The `enter` entrypoint: `enter --pid=PID --appname=APP -- COMMAND ARGS…`. Joins the namespaces of the pod
/// init (PID is its host pid, from the pod's `pid` file) — mount, UTS, IPC, network and PID — then forks: the
/// child chroots into the app's rootfs (which carries the pod's /proc, /dev, /sys and volumes), changes to the
/// app's working directory and execs the command with the app's environment, as root; the parent waits and
/// exits with the command's status.
struct NamespaceEnter {
    var pid: pid_t?
    var appName: String?
    var command: [String] = []

    static let namespaces = ["ipc", "uts", "net", "pid", "mnt"]

    init(arguments: [String]) throws {
        let parsed = try Stage1EnterArguments(parsing: arguments)
        pid = parsed.pid
        appName = parsed.appName
        command = parsed.command
    }

    func run() throws -> Int32 {
        let pod = try PodDefinition()
        let app: PodDefinition.App
        if let appName {
            guard let named = pod.app(named: appName) else { throw NamespaceError("enter: the pod has no app named \(appName)") }
            app = named
        } else {
            guard pod.apps.count == 1 else { throw NamespaceError("enter: the pod has several apps; give --appname") }
            app = pod.apps[0]
        }
        let target = try pid ?? pidFromPod(pod)
        let rootfs = pod.rootfs(of: app)
        let plan = try AppExecPlan(app: app.definition, appName: app.name, rootfs: rootfs)
        let program = try AppExecPlan.findProgram(
            command[0], path: pathVariable(plan.environment), workingDirectory: plan.workingDirectory, rootfs: rootfs,
            fail: { AppExecPlan.Failure(description: "enter: \($0)") })
        let descriptors = try Self.namespaces.map { name -> Int32 in
            let path = "/proc/\(target)/ns/\(name)"
            return try retryingOnInterrupt("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        }
        Descriptors.closeOnExecAbove(2)
        for (name, fd) in zip(Self.namespaces, descriptors) {
            guard cstage1_setns(fd, 0) == 0 else { throw SystemError.current("setns", path: "/proc/\(target)/ns/\(name)") }
            close(fd)
        }
        let argv = CStringArray(command)
        let envp = CStringArray(plan.environment)
        let child = fork()
        if child < 0 { throw SystemError.current("fork") }
        if child == 0 {
            if chdir(rootfs) != 0 || chroot(".") != 0 { _exit(126) }
            if chdir(plan.workingDirectory) != 0 { _ = chdir("/") }
            argv.withUnsafeArray { argvPointer in
                envp.withUnsafeArray { envpPointer in
                    _ = execve(program, argvPointer, envpPointer)
                }
            }
            _exit(127)
        }
        signal(SIGINT, SIG_IGN)
        return ExitStatus.wait(child)
    }

    private func pidFromPod(_ pod: PodDefinition) throws -> pid_t {
        guard let value = try SmallFile.readInteger(pod.files.pid), value > 0 else {
            throw NamespaceError("enter: the pod has no pid file (is it running?)")
        }
        return pid_t(value)
    }

    private func pathVariable(_ environment: [String]) -> String {
        environment.first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? AppExecPlan.defaultPath
    }
}
