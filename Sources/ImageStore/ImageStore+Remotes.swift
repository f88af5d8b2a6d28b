import Foundation
import ImageArchive
import LinuxSupport

/// `cas/remote/HASH`: one small JSON file per downloaded URL (HASH = SHA-512 of the URL, 64 hex digits),
/// written atomically after the image's row exists; `rkt image gc` removes those whose image is gone.
extension ImageStore {
    func remotePath(url: String) -> String {
        layout.remotes + "/" + String(SHA512Hasher.hexDigest(of: Array(url.utf8)).prefix(64))
    }

    /// The record for `url` together with its image, when both are still there.
    public func remote(url: String) throws -> (remote: RemoteRecord, image: ImageRecord)? {
        guard let data = FileManager.default.contents(atPath: remotePath(url: url)), data.count <= 64 << 10,
              let remote = try? JSONDecoder().decode(RemoteRecord.self, from: data), remote.url == url,
              let image = try index.record(key: remote.key) else { return nil }
        return (remote, image)
    }

    public func saveRemote(_ remote: RemoteRecord) throws {
        let data = try JSONEncoder().encode(remote)
        try AtomicFile.write(Array(data), to: remotePath(url: remote.url), mode: 0o640)
    }

    /// Removes remote records whose image has no row any more; returns how many.
    func removeOrphanRemotes() throws -> Int {
        var removed = 0
        for name in try FileSystem.entries(of: layout.remotes) where !name.contains(".tmp-") {
            let path = layout.remotes + "/" + name
            guard let data = FileManager.default.contents(atPath: path),
                  let remote = try? JSONDecoder().decode(RemoteRecord.self, from: data),
                  try index.record(key: remote.key) != nil else {
                try FileSystem.removeTree(path)
                removed += 1
                continue
            }
        }
        return removed
    }
}
