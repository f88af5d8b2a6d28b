import CKvmPod
import Glibc
import GuestProtocol
import LinuxSupport

/// Builds every app's root from the disks: the scratch disk (ext4, writable) holds each app's overlay upper
/// layer and the empty volumes; each image disk (erofs, read-only) is mounted once and is the lower layer of
/// every app using it, so the cached image on the host is never written.
struct PodAssembler {
    let config: GuestPodConfig

    func assemble() throws {
        try GuestFiles.makeDirectory(GuestLayout.scratch)
        try GuestFiles.mount(GuestLayout.device(GuestDisks.scratch), on: GuestLayout.scratch, type: "ext4",
                             flags: UInt(MS_NOSUID | MS_NODEV), data: "noinit_itable")
        GuestFiles.debug("scratch disk mounted")
        var mountedImages: Set<Int> = []
        for app in config.apps where mountedImages.insert(app.imageDisk).inserted {
            let target = GuestLayout.image(disk: app.imageDisk)
            try GuestFiles.makeDirectory(target)
            try GuestFiles.mount(GuestLayout.device(app.imageDisk), on: target, type: "erofs", flags: UInt(MS_RDONLY))
        }
        for volume in config.volumes {
            switch volume.source {
            case .empty:
                try GuestFiles.makeDirectory(GuestLayout.emptyVolume(volume.name), mode: 0o755)
            case .disk(let index):
                try GuestFiles.makeDirectory(GuestLayout.volumeDisk(volume.name))
                // A read-only volume's disk is attached read-only: ext4 refuses it a read-write mount (EACCES).
                let flags = MS_NOSUID | MS_NODEV | (volume.readOnly ? MS_RDONLY : 0)
                try GuestFiles.mount(GuestLayout.device(index), on: GuestLayout.volumeDisk(volume.name), type: "ext4",
                                     flags: UInt(flags), data: "noinit_itable")
            }
        }
        GuestFiles.debug("image disks and volumes mounted")
        for app in config.apps {
            try assemble(app)
            GuestFiles.debug("app \(app.name)'s root assembled")
        }
        try Loopback.up()
        try InterfaceConfigurator.configure(config.interfaces)
        let hostname = config.hostname
        guard sethostname(hostname, hostname.utf8.count) == 0 else { throw SystemError.current("sethostname \(hostname)") }
    }

    private func assemble(_ app: GuestApp) throws {
        let root = GuestLayout.appRoot(app.name)
        try GuestFiles.makeDirectory(root)
        try GuestFiles.makeDirectory(GuestLayout.appUpper(app.name))
        try GuestFiles.makeDirectory(GuestLayout.appWork(app.name), mode: 0o700)
        let options = "lowerdir=\(GuestLayout.image(disk: app.imageDisk)),upperdir=\(GuestLayout.appUpper(app.name))," +
            "workdir=\(GuestLayout.appWork(app.name))"
        try GuestFiles.mount("overlay", on: root, type: "overlay", data: options)
        try writeEtcFiles(root: root)
        GuestFiles.debug("app \(app.name): overlay and /etc files")
        try KernelFilesystems.mountForApp(root: root)
        GuestFiles.debug("app \(app.name): /proc /sys /dev")
        for mount in app.mounts {
            guard let volume = config.volumes.first(where: { $0.name == mount.volume }) else { continue }
            let source = switch volume.source {
            case .empty: GuestLayout.emptyVolume(volume.name)
            case .disk: GuestLayout.volumeDisk(volume.name)
            }
            let target = try ContainedDirectory(root: root, path: mount.target, create: true)
            try GuestFiles.bind(source, on: target.mountPath, readOnly: mount.readOnly)
        }
        if app.readOnlyRootfs {
            try GuestFiles.mount("none", on: root, type: "none", flags: UInt(MS_BIND | MS_REMOUNT | MS_RDONLY))
        }
    }

    /// /etc/hostname, /etc/hosts and /etc/resolv.conf in the app's upper layer (skipped when the image has no
    /// /etc directory; a symlinked /etc is refused rather than followed).
    private func writeEtcFiles(root: String) throws {
        let etc: ContainedDirectory
        do {
            etc = try ContainedDirectory(root: root, path: "/etc", create: true)
        } catch {
            GuestFiles.log("\(root)/etc: \(error); /etc files not written")
            return
        }
        let fd = try etc.openForFiles()
        defer { close(fd) }
        try GuestFiles.write(config.hostname + "\n", named: "hostname", in: fd)
        var hosts = "127.0.0.1\tlocalhost localhost.localdomain \(config.hostname)\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        for entry in config.hostsEntries { hosts += entry.joined(separator: " ") + "\n" }
        try GuestFiles.write(hosts, named: "hosts", in: fd)
        if !config.dnsServers.isEmpty || !config.dnsSearch.isEmpty || !config.dnsOptions.isEmpty {
            var resolv = config.dnsServers.map { "nameserver \($0)\n" }.joined()
            if !config.dnsSearch.isEmpty { resolv += "search " + config.dnsSearch.joined(separator: " ") + "\n" }
            if !config.dnsOptions.isEmpty { resolv += "options " + config.dnsOptions.joined(separator: " ") + "\n" }
            try GuestFiles.write(resolv, named: "resolv.conf", in: fd)
        }
    }
}
