import Glibc
import LinuxSupport
import Pods

/// A minimal /dev for an app: a tmpfs holding the host's null, zero, full, random, urandom and tty nodes
/// (bind-mounted, so no mknod is needed), console (the pod's terminal when stdin is one, else null),
/// a private devpts instance with ptmx, shm and mqueue, and the usual fd/stdin/stdout/stderr links.
struct DeviceDirectory {
    let path: String
    static let nodes = ["null", "zero", "full", "random", "urandom", "tty"]

    func build() throws {
        try AppFilesystem.mount("tmpfs", type: "tmpfs", on: path, flags: MS_NOSUID | MS_NOEXEC | MS_STRICTATIME, data: "mode=755,size=65536k")
        for node in Self.nodes { try bindNode("/dev/" + node, as: node) }
        try bindNode(isatty(STDIN_FILENO) == 1 ? (ttyName() ?? "/dev/null") : "/dev/null", as: "console")
        try FileSystem.makeDirectories(path + "/pts", mode: 0o755)
        try AppFilesystem.mount("devpts", type: "devpts", on: path + "/pts", flags: MS_NOSUID | MS_NOEXEC,
                                data: "newinstance,ptmxmode=0666,mode=620,gid=5")
        try link("pts/ptmx", at: "ptmx")
        for name in ["shm", "mqueue"] { try FileSystem.makeDirectories(path + "/" + name, mode: 0o1777) }
        try AppFilesystem.mount("shm", type: "tmpfs", on: path + "/shm", flags: MS_NOSUID | MS_NODEV, data: "mode=1777,size=65536k")
        try AppFilesystem.mount("mqueue", type: "mqueue", on: path + "/mqueue", flags: MS_NOSUID | MS_NODEV | MS_NOEXEC)
        try link("/proc/self/fd", at: "fd")
        for (index, name) in ["stdin", "stdout", "stderr"].enumerated() { try link("/proc/self/fd/\(index)", at: name) }
    }

    private func bindNode(_ source: String, as name: String) throws {
        let target = path + "/" + name
        let fd = try retryingOnInterrupt("create device node", path: target) {
            open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o666)
        }
        close(fd)
        try Mounter.bind(source, on: target, readOnly: false, recursive: false)
    }

    private func link(_ destination: String, at name: String) throws {
        let target = path + "/" + name
        guard symlink(destination, target) == 0 else { throw SystemError.current("symlink", path: target) }
    }

    private func ttyName() -> String? {
        guard let name = ttyname(STDIN_FILENO) else { return nil }
        return String(cString: name)
    }
}
