import CStage1
import Foundation
import LinuxSupport
import Pods

/// The `run` entrypoint: in the pod directory, with the pod lock inherited as RKT_LOCK_FD, enter a private
/// mount namespace, mount /proc, /dev, /sys and the volumes into the app's rootfs, start the app chrooted
/// there, record its pid and finally its exit status in `stage1/rootfs/rkt/status/APP`, and exit with it.
struct FlyRun {
    let options: Stage1Arguments

    init(arguments: [String]) throws {
        options = try Stage1Arguments(parsing: arguments)
    }

    func run() throws -> Int32 {
        let context = try PodContext()
        let lockFD = try inheritedLock()
        debug("pod \(options.uuid), app \(context.app.name.value), lock fd \(lockFD)")
        Descriptors.closeOnExecAbove(2)

        let plan = try AppExecPlan(app: context.appDefinition, appName: context.app.name.value, rootfs: context.rootfs)
        let volumes = VolumeBinder(context: context)
        let bindings = try volumes.bindings()

        guard cstage1_unshare(cstage1_clone_newns) == 0 else {
            throw SystemError.current("unshare mount namespace")
        }
        try Mounter.makeRootSlave()
        try mountKernelFilesystems(into: context.rootfs)
        try volumes.mount(bindings)
        try FileSystem.makeDirectories(context.files.statusDirectory, mode: 0o755)

        SignalForwarding.install()
        let pid = try AppProcess(plan: plan, rootfs: context.rootfs).start()
        SignalForwarding.child = pid
        try SmallFile.writeInteger(Int(getpid()), to: context.files.ppid)
        try SmallFile.writeInteger(Int(pid), to: context.files.pid)
        debug("app \(plan.appName) started as pid \(pid)")
        let status = try AppProcess.wait(pid)
        try SmallFile.writeInteger(Int(status), to: context.files.appStatus(plan.appName))
        debug("app \(plan.appName) exited with status \(status)")
        return status
    }

    /// The pod lock stage0 took; stage1 keeps it open (never passing it to the app) until it exits.
    private func inheritedLock() throws -> Int32 {
        guard let text = ProcessInfo.processInfo.environment["RKT_LOCK_FD"], let fd = Int32(text), fd > 2,
              fcntl(fd, F_GETFD) >= 0 else {
            throw FlyError("RKT_LOCK_FD does not name an open descriptor (stage1 must be started by rkt)")
        }
        return fd
    }

    /// The host's /proc, /dev and /sys, as the fly flavor shares the host's namespaces except mounts.
    private func mountKernelFilesystems(into rootfs: String) throws {
        for name in ["proc", "dev", "sys"] {
            let target = try ContainedPath.resolve("/" + name, in: rootfs)
            try FileSystem.makeDirectories(target, mode: 0o755)
            try Mounter.bind("/" + name, on: target, readOnly: false, recursive: true)
        }
    }

    private func debug(_ message: String) {
        if options.debug { FileHandle.standardError.write(Data("stage1-fly: [debug] \(message)\n".utf8)) }
    }
}
