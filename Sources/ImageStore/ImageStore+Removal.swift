import Foundation
import LinuxSupport

extension ImageStore {
    /// Removes an image: its index row first (so no reader finds a row without a blob), then its blob and the
    /// trees rendered for it. Waits for readers and writers of the same image (image lock, exclusive).
    public func remove(_ record: ImageRecord) throws {
        try withImageLock(key: record.key, .exclusive) {
            guard try index.remove(key: record.key) else { throw StoreError.imageNotFound(record.key) }
            let blob = layout.blobPath(key: record.key)
            if unlink(blob) != 0 && errno != ENOENT { throw SystemError.current("unlink", path: blob) }
            for file in [layout.signaturePath(key: record.key), layout.signedCopyPath(key: record.key)] {
                if unlink(file) != 0 && errno != ENOENT { throw SystemError.current("unlink", path: file) }
            }
            for tree in try index.treeIDs(imageKey: record.key) {
                try removeTree(id: tree)
            }
        }
        try removeUnreferencedLayers()
    }

    /// Deletes a rendered tree unless someone holds its lock (a pod using it holds it shared); a busy tree is
    /// left for a later `rkt image gc`. Returns whether it was removed.
    @discardableResult
    func removeTree(id: String) throws -> Bool {
        let lock = try FileLock(path: layout.treeLock(id: id))
        guard try lock.tryLock(.exclusive) else { return false }
        try index.removeTree(id: id)
        try FileSystem.removeTree(layout.treeDirectory(id: id))
        return true
    }
}
