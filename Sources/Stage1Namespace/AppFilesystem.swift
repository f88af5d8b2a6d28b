import Glibc
import LinuxSupport
import Pods

/// Builds an app's view inside the pod (run by the pod init, PID 1 of the pod's PID namespace, in the pod's
/// mount namespace): /proc of the pod, /sys read-only, a minimal /dev, /etc/hostname, /etc/hosts,
/// /etc/resolv.conf and the volumes. Every target is resolved inside the rootfs (image symlinks cannot
/// redirect a mount to the host).
struct AppFilesystem {
    let app: PreparedApp
    let etc: EtcFiles

    func build() throws {
        let rootfs = app.rootfs
        let proc = try directory("/proc")
        try mountFilesystem("proc", type: "proc", on: proc, flags: MS_NOSUID | MS_NODEV | MS_NOEXEC)
        let sys = try directory("/sys")
        try mountFilesystem("sysfs", type: "sysfs", on: sys, flags: MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY)
        try DeviceDirectory(path: try directory("/dev")).build()
        try etc.write(into: rootfs)
        try AppVolumes.mount(app.volumes)
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
