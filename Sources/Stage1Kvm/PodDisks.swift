import AppC
import Foundation
import GuestProtocol
import LinuxSupport

/// Creates the pod's own disks: the config disk (the guest config text, zero-padded to whole 4 KiB blocks),
/// the writable scratch disk (a sparse ext4 file, formatted here so the guest only mounts it), and one ext4
/// disk per host volume, filled with a copy of its source. Guest writes to a host volume stay in that copy:
/// they are not written back to the host directory (see docs/kvm.md).
enum PodDisks {
    static let scratchBytes: Int64 = 2 << 30

    static func writeConfig(_ config: GuestPodConfig, to path: String) throws {
        var bytes = Array(config.encoded().utf8)
        guard bytes.count <= GuestDisks.maximumConfigSize else {
            throw KvmError("the pod's guest config is \(bytes.count) bytes, above the 1 MiB the guest reads")
        }
        bytes += [UInt8](repeating: 0, count: 4096 - bytes.count % 4096)
        try AtomicFile.write(bytes, to: path, mode: 0o600)
    }

    static func makeScratch(at path: String) throws {
        try makeExt4(at: path, bytes: scratchBytes, contents: nil)
    }

    /// An ext4 image holding a copy of `source` (a directory), sized for its contents with room to write.
    /// It shows exactly the directory's entries: the `lost+found` that mkfs.ext4 creates is removed again
    /// (unless the directory has one of its own), as it would show in the app (nginx reads every entry of
    /// `sites-enabled`). e2fsck would want it back; nothing runs e2fsck on a disk that dies with the pod.
    static func makeVolume(at path: String, from volume: Volume) throws {
        guard let source = volume.source, FileSystem.isDirectory(source) else {
            throw KvmError("volume \(volume.name.value): source \(volume.source ?? "(none)") is not a directory " +
                           "(the kvm flavor passes host volumes as disk images of a directory)")
        }
        let used = try FileSystem.diskUsage(source)
        try makeExt4(at: path, bytes: max(256 << 20, used * 2 + (128 << 20)), contents: source)
        var info = stat()
        if lstat(source + "/lost+found", &info) != 0 {
            try HostTool.run("debugfs", ["-w", "-R", "rmdir lost+found", path], package: "e2fsprogs")
        }
    }

    private static func makeExt4(at path: String, bytes: Int64, contents: String?) throws {
        _ = unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError.current("create", path: path) }
        let sized = ftruncate(fd, off_t(bytes))
        close(fd)
        guard sized == 0 else { throw SystemError.current("truncate", path: path) }
        // No journal (the disk dies with the pod) and lazy inode tables, which the guest mounts with
        // noinit_itable: formatting costs the host milliseconds and the guest nothing. No metadata checksums:
        // the guest kernel computes crc32c in software for every bitmap, inode and directory block it reads
        // or writes, and under emulation that was 2.7 % of a pod's guest time (groups keep uninit_bg's crc16).
        var arguments = ["-q", "-F", "-t", "ext4", "-O", "^has_journal,^metadata_csum,uninit_bg",
                         "-E", "lazy_itable_init=1,nodiscard", "-m", "0"]
        if let contents { arguments += ["-d", contents] }
        try HostTool.run("mkfs.ext4", arguments + [path], package: "e2fsprogs")
    }
}
