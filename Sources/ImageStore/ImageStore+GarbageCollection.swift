import Foundation
import LinuxSupport

extension ImageStore {
    public struct GarbageCollectionReport: Sendable {
        public var removedImages: [ImageRecord] = []
        public var removedTrees: [String] = []
        public var removedOrphanBlobs: [String] = []
        /// Kept signatures (`cas/sig/KEY.asc`, `KEY.signed`) whose image has no index row.
        public var removedOrphanSignatures: [String] = []
        public var removedTemporaryFiles: [String] = []
        /// Layer blobs (`sha256-HEX`) no stored image lists any more.
        public var removedLayers: [String] = []
        /// `cas/remote` records whose image is gone.
        public var removedRemoteRecords = 0
    }

    /// Removes images not used for `gracePeriod` seconds (with their trees), trees whose image is gone,
    /// blobs and kept signatures without an index row, and temporary files of processes that no longer exist. Anything another
    /// process holds locked is skipped and left for a later run.
    public func garbageCollect(gracePeriod: Double) throws -> GarbageCollectionReport {
        var report = GarbageCollectionReport()
        let cutoff = Self.now() - Int64(gracePeriod * 1e9)
        for record in try index.allRecords() where record.lastUsed < cutoff {
            try remove(record)
            report.removedImages.append(record)
        }

        let knownKeys = Set(try index.allRecords().map(\.key))
        let owners = try index.allTreeOwners()
        for (id, owner) in owners.sorted(by: { $0.key < $1.key }) where !knownKeys.contains(owner) {
            if try removeTree(id: id) { report.removedTrees.append(id) }
        }
        for name in try FileSystem.entries(of: layout.trees) where owners[name] == nil {
            if try removeTree(id: name) { report.removedTrees.append(name) }
        }

        for fanout in try FileSystem.entries(of: layout.blobs) {
            for key in try FileSystem.entries(of: layout.blobs + "/" + fanout) where !knownKeys.contains(key) {
                let lock = try FileLock(path: layout.imageLock(key: key))
                guard try lock.tryLock(.exclusive), try index.record(key: key) == nil else { continue }
                try FileSystem.removeTree(layout.blobPath(key: key))
                report.removedOrphanBlobs.append(key)
            }
        }

        for name in try FileSystem.entries(of: layout.signatures).sorted() {
            let path = layout.signatures + "/" + name
            if name.contains(".tmp-") {  // an AtomicFile write in progress, or left by a dead process
                if !Self.ownerIsAlive(temporaryName: name) {
                    try FileSystem.removeTree(path)
                    report.removedOrphanSignatures.append(name)
                }
                continue
            }
            let key = String(name.prefix { $0 != "." })
            guard key.hasPrefix(ImageKey.prefix), key.count == ImageKey.prefix.count + 64,
                  !knownKeys.contains(key) else { continue }
            let lock = try FileLock(path: layout.imageLock(key: key))
            guard try lock.tryLock(.exclusive), try index.record(key: key) == nil else { continue }
            try FileSystem.removeTree(path)
            report.removedOrphanSignatures.append(name)
        }

        report.removedLayers = try removeUnreferencedLayers()
        report.removedRemoteRecords = try removeOrphanRemotes()

        for name in try FileSystem.entries(of: layout.temporary) where !Self.ownerIsAlive(temporaryName: name) {
            try FileSystem.removeTree(layout.temporary + "/" + name)
            report.removedTemporaryFiles.append(name)
        }
        return report
    }

    /// Temporary names are `purpose-PID-random`; the file is in use while that process lives.
    static func ownerIsAlive(temporaryName: String) -> Bool {
        let parts = temporaryName.split(separator: "-")
        guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]) else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
