import Foundation
import LinuxSupport

extension ImageStore {
    /// A read-only erofs disk image of a rendered tree, for stage1s that hand root filesystems to a VM as
    /// block devices (the kvm flavor). Built once, beside the tree (`cas/tree/<id>/rootfs.erofs`), and reused by
    /// every pod of that tree; removing the tree removes it. Call with the tree's lock held (shared is enough:
    /// concurrent builders each write their own temporary file and the rename makes one of them the image).
    public func diskImage(of tree: RenderedTree, progress: ((String) -> Void)? = nil) throws -> String {
        let path = tree.directory + "/rootfs.erofs"
        if FileSystem.exists(path) { return path }
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        progress?("building the disk image of tree \(tree.id)")
        let started = Date()
        do {
            // Times and owners are the tree's, as the other flavors see them.
            try HostTool.run("mkfs.erofs", [temporary, tree.rootfs], package: "erofs-utils")
            let fd = open(temporary, O_RDONLY | O_CLOEXEC)
            guard fd >= 0, fsync(fd) == 0 else { throw SystemError.current("fsync", path: temporary) }
            close(fd)
            guard rename(temporary, path) == 0 else { throw SystemError.current("rename", path: temporary) }
        } catch {
            _ = unlink(temporary)
            throw error
        }
        progress?(String(format: "disk image ready (%.1f MB, %.2f s)", Double(FileSystem.fileSize(path) ?? 0) / 1e6,
                         Date().timeIntervalSince(started)))
        return path
    }
}
