import CStage1
import Foundation
import LinuxSupport
import Pods

/// The `enter` entrypoint: `enter --pid=PID --appname=APP -- COMMAND ARGS…`. Joins the mount namespace of
/// the app's process, takes its root as ours, changes to the app's working directory and execs the command
/// with the app's environment (as root, like rkt enter).
struct FlyEnter {
    var pid: pid_t?
    var appName: String?
    var command: [String] = []

    init(arguments: [String]) throws {
        let parsed = try Stage1EnterArguments(parsing: arguments)
        pid = parsed.pid
        appName = parsed.appName
        command = parsed.command
    }

    func run() throws -> Int32 {
        let context = try PodContext()
        if let appName, appName != context.app.name.value {
            throw FlyError("enter: the pod has no app named \(appName)")
        }
        let target = try pid ?? pidFromPod(context)
        let rootPath = "/proc/\(target)/root"
        let namespacePath = "/proc/\(target)/ns/mnt"
        let root = try retryingOnInterrupt("open", path: rootPath) { open(rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        let namespace = try retryingOnInterrupt("open", path: namespacePath) { open(namespacePath, O_RDONLY | O_CLOEXEC) }
        guard cstage1_setns(namespace, cstage1_clone_newns) == 0 else {
            throw SystemError.current("setns", path: namespacePath)
        }
        guard fchdir(root) == 0, chroot(".") == 0 else { throw SystemError.current("chroot", path: rootPath) }
        let plan = try AppExecPlan(app: context.appDefinition, appName: context.app.name.value, rootfs: "/")
        if chdir(plan.workingDirectory) != 0 { _ = chdir("/") }
        Descriptors.closeOnExecAbove(2)

        let program = try AppExecPlan.findProgram(
            command[0], path: pathVariable(plan.environment), workingDirectory: plan.workingDirectory, rootfs: "/",
            fail: { AppExecPlan.Failure(description: "enter: \($0)") })
        let argv = CStringArray(command)
        let envp = CStringArray(plan.environment)
        argv.withUnsafeArray { argvPointer in
            envp.withUnsafeArray { envpPointer in
                _ = execve(program, argvPointer, envpPointer)
            }
        }
        throw SystemError.current("exec", path: program)
    }

    private func pidFromPod(_ context: PodContext) throws -> pid_t {
        guard let value = try SmallFile.readInteger(context.files.pid), value > 0 else {
            throw FlyError("enter: the pod has no pid file (is it running?)")
        }
        return pid_t(value)
    }

    private func pathVariable(_ environment: [String]) -> String {
        environment.first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? AppExecPlan.defaultPath
    }
}
