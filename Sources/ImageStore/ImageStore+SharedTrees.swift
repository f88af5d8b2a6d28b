import Foundation
import LinuxSupport

extension ImageStore {
    /// A rendered tree together with its lock, held shared for as long as the holder keeps `lock` (or the
    /// descriptor taken from it) open.
    public struct SharedTree {
        public let tree: RenderedTree
        public let lock: FileLock
    }

    /// The image's tree with its lock held shared, rendering it first if needed. A pod keeps the lock while it
    /// uses the tree, so `rkt image rm/gc` leave the tree alone. An existing tree is found under the shared
    /// lock only, so the pods running from a tree never keep another pod of the same image from starting
    /// (`renderTree` takes the lock exclusively, which waits for every pod using the tree).
    public func sharedTree(for record: ImageRecord) throws -> SharedTree {
        let id = Self.treeID(for: try renderLayers(for: record).map(\.record.key))
        let tree = RenderedTree(id: id, directory: layout.treeDirectory(id: id))
        for _ in 0..<5 {
            let lock = try FileLock(path: layout.treeLock(id: id))
            try lock.lock(.shared)
            if try index.hasTree(id: id), FileSystem.isDirectory(tree.rootfs) {
                try markUsed(record)
                return SharedTree(tree: tree, lock: lock)
            }
            try lock.unlock()
            // Nobody uses a tree that is not there; render it (exclusively), then take it shared again.
            _ = try renderTree(for: record)
        }
        throw StoreError.invalidImage(path: record.key, reason: "its tree \(id) keeps disappearing (concurrent image gc?)")
    }
}
