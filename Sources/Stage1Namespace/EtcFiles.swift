import Glibc
import LinuxSupport
import Pods

/// The pod's /etc/hostname, /etc/hosts and (when there is one to give) /etc/resolv.conf, written into each
/// app's rootfs (its overlay's upper layer takes them). hosts names localhost and the pod's hostname, then
/// the lines stage0 wrote for `--hosts-entry` (rkt's `stage1/rootfs/etc/rkt-hosts`); resolv.conf is
/// stage0's for `--dns…` (`rkt-resolv.conf`), else the host's for `--net=host`, else the one the CNI
/// networks returned, else the image's own.
struct EtcFiles {
    let hostname: String
    let hosts: String
    let resolvConf: String?

    init(hostname: String, files: PodFiles, hostNetwork: Bool, networkDNS: String? = nil) throws {
        self.hostname = hostname
        let given = try SmallFile.read(files.stage1Rootfs + "/etc/rkt-hosts")
        hosts = Self.defaultHosts(hostname: hostname) + (given ?? "")
        if let resolv = try SmallFile.read(files.stage1Rootfs + "/etc/rkt-resolv.conf") {
            resolvConf = resolv
        } else if hostNetwork {
            resolvConf = try SmallFile.read("/etc/resolv.conf")
        } else {
            resolvConf = networkDNS
        }
    }

    static func defaultHosts(hostname: String) -> String {
        "127.0.0.1\tlocalhost localhost.localdomain \(hostname)\n::1\tlocalhost ip6-localhost ip6-loopback\n"
    }

    func write(into rootfs: String) throws {
        try put(hostname + "\n", at: "/etc/hostname", in: rootfs)
        try put(hosts, at: "/etc/hosts", in: rootfs)
        if let resolvConf { try put(resolvConf, at: "/etc/resolv.conf", in: rootfs) }
    }

    /// Replaces the file: its directory is resolved inside the root, and the file itself — a symlink in the
    /// image included — is replaced by rename, never followed.
    private func put(_ text: String, at path: String, in rootfs: String) throws {
        let directory = try ContainedPath.resolve(AtomicFile.parentDirectory(of: path), in: rootfs)
        try FileSystem.makeDirectories(directory, mode: 0o755)
        try ScratchFile.write(text, to: directory + "/" + (path.split(separator: "/").last.map(String.init) ?? ""))
    }
}
