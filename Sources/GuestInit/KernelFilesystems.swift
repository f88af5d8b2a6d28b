import CKvmPod
import Glibc
import LinuxSupport

/// The guest's own /proc and /run (the kernel already mounted devtmpfs on /dev with the root). GuestInit
/// needs no /sys of its own: each mount costs a fraction of a second where guest kernel code is emulated.
enum KernelFilesystems {
    static func mount() throws {
        umask(0)  // modes below are exactly as given (device nodes, directories)
        try GuestFiles.mount("proc", on: "/proc", type: "proc", flags: UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC))
        try GuestFiles.mount("tmpfs", on: GuestLayout.run, type: "tmpfs", flags: UInt(MS_NOSUID | MS_NODEV), data: "mode=0755")
    }

    /// /proc, read-only /sys and a minimal /dev inside an app's root, as the namespace flavor gives apps.
    static func mountForApp(root: String) throws {
        let proc = try ContainedDirectory(root: root, path: "/proc", create: true)
        try GuestFiles.mount("proc", on: proc.mountPath, type: "proc", flags: UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC))
        let sys = try ContainedDirectory(root: root, path: "/sys", create: true)
        try GuestFiles.mount("sysfs", on: sys.mountPath, type: "sysfs",
                             flags: UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY))
        let dev = try ContainedDirectory(root: root, path: "/dev", create: true)
        try GuestFiles.mount("tmpfs", on: dev.mountPath, type: "tmpfs", flags: UInt(MS_NOSUID | MS_STRICTATIME),
                             data: "mode=0755,size=65536k")
        try populateDevices(root: root)
    }

    private static let devices: [(name: String, major: UInt32, minor: UInt32, mode: mode_t)] = [
        ("null", 1, 3, 0o666), ("zero", 1, 5, 0o666), ("full", 1, 7, 0o666), ("random", 1, 8, 0o666),
        ("urandom", 1, 9, 0o666), ("tty", 5, 0, 0o666), ("console", 5, 1, 0o600),
    ]

    private static func populateDevices(root: String) throws {
        let dev = try ContainedDirectory(root: root, path: "/dev", create: false)
        let fd = try dev.openForFiles()
        defer { close(fd) }
        for node in devices {
            guard mknodat(fd, node.name, S_IFCHR | node.mode, ckvmpod_makedev(node.major, node.minor)) == 0 else {
                throw SystemError.current("mknod", path: root + "/dev/" + node.name)
            }
        }
        for (name, target) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                               ("stderr", "/proc/self/fd/2"), ("ptmx", "pts/ptmx")] {
            guard symlinkat(target, fd, name) == 0 else { throw SystemError.current("symlink", path: root + "/dev/" + name) }
        }
        let pts = try ContainedDirectory(root: root, path: "/dev/pts", create: true)
        try GuestFiles.mount("devpts", on: pts.mountPath, type: "devpts", flags: UInt(MS_NOSUID | MS_NOEXEC),
                             data: "newinstance,ptmxmode=0666,mode=0620")
        let shm = try ContainedDirectory(root: root, path: "/dev/shm", create: true)
        try GuestFiles.mount("shm", on: shm.mountPath, type: "tmpfs", flags: UInt(MS_NOSUID | MS_NODEV), data: "mode=1777")
        let mqueue = try ContainedDirectory(root: root, path: "/dev/mqueue", create: true)
        do {
            try GuestFiles.mount("mqueue", on: mqueue.mountPath, type: "mqueue", flags: UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC))
        } catch let error as SystemError where error.errno == ENODEV {
            // A kernel without POSIX message queues: the directory stays empty.
        }
    }
}
