import Glibc
import Isolation
import LinuxSupport
import Pods

/// Builds an app's view inside the pod (run by the pod init, PID 1 of the pod's PID namespace, in the pod's
/// mount namespace): /proc of the pod, /sys read-only, a minimal /dev, /etc/hostname, /etc/hosts,
/// /etc/resolv.conf and the volumes. Every target is resolved inside the rootfs (image symlinks cannot
/// redirect a mount to the host). Unless `--insecure-options=paths`, the kernel's global knobs in /proc are
/// read-only (`readOnlyProcPaths`) and its leaky files are masked with /dev/null (`maskedProcPaths`), as
/// container runtimes do.
struct AppFilesystem {
    let app: PreparedApp
    let etc: EtcFiles

    static let readOnlyProcPaths = ["sys", "sysrq-trigger", "irq", "bus", "fs"]
    static let maskedProcPaths = ["kcore", "keys", "timer_list", "sched_debug", "latency_stats", "acpi", "scsi"]

    func build() throws {
        let rootfs = app.rootfs
        let proc = try directory("/proc")
        try mountFilesystem("proc", type: "proc", on: proc, flags: MS_NOSUID | MS_NODEV | MS_NOEXEC)
        if app.restrictPaths { try restrict(proc: proc) }
        let sys = try directory("/sys")
        try mountFilesystem("sysfs", type: "sysfs", on: sys,
                            flags: MS_NOSUID | MS_NODEV | MS_NOEXEC | (app.restrictPaths ? MS_RDONLY : 0))
        try DeviceDirectory(path: try directory("/dev")).build()
        try etc.write(into: rootfs)
        try AppVolumes.mount(app.volumes)
    }

    private func restrict(proc: String) throws {
        for name in Self.readOnlyProcPaths where KernelFile.exists(proc + "/" + name) {
            try Mounter.bind(proc + "/" + name, on: proc + "/" + name, readOnly: true, recursive: true)
        }
        for name in Self.maskedProcPaths where KernelFile.exists(proc + "/" + name) {
            if FileSystem.isDirectory(proc + "/" + name) {
                try mountFilesystem("tmpfs", type: "tmpfs", on: proc + "/" + name, flags: MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY)
            } else {
                try Mounter.bind("/dev/null", on: proc + "/" + name, readOnly: true, recursive: false)
            }
        }
    }

    private func directory(_ path: String) throws -> String {
        let target = try ContainedPath.resolve(path, in: app.rootfs)
        try FileSystem.makeDirectories(target, mode: 0o755)
        return target
    }

    static func mount(_ source: String, type: String, on target: String, flags: Int, data: String? = nil) throws {
        guard Glibc.mount(source, target, type, UInt(flags), data) == 0 else {
            throw SystemError.current("mount \(type)", path: target)
        }
    }

    private func mountFilesystem(_ source: String, type: String, on target: String, flags: Int) throws {
        try Self.mount(source, type: type, on: target, flags: flags)
    }
}
