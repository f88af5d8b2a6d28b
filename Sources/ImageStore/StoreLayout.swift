import OCI

/// Where the store keeps its files under the data directory (`--dir`, default /var/lib/rkt), following rkt's layout:
///
///     cas/blob/sha512/XX/sha512-<64 hex>   uncompressed ACI tars, content-addressed
///     cas/db/rkt.sqlite                    the index (names, manifests, times, sizes, origin)
///     cas/tree/<tree id>/rootfs            rendered image trees (image + dependencies), reused by every pod
///     cas/sig/sha512-<64 hex>.asc          the detached signature a verified fetch checked
///     cas/sig/sha512-<64 hex>.signed       the signed bytes as fetched, when they differ from the blob
///                                          (a compressed ACI); absent when the blob itself was signed
///     cas/layer/sha256/XX/sha256-<hex>     OCI / docker layer blobs as fetched (compressed), shared by images
///     cas/remote/<64 hex>                  URL → image key, ETag, max-age of https:// downloads (pull policy)
///     cas/tmp/                             partial writes, renamed into place when complete
///     cas/imagelocks/, cas/treestorelocks/ flock files serialising writers of one image or one tree
///     cas/layerlocks/                      held shared by imports and renders using a layer; gc takes them exclusive
public struct StoreLayout: Sendable {
    public let dataDirectory: String

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory.count > 1 && dataDirectory.hasSuffix("/")
            ? String(dataDirectory.dropLast()) : dataDirectory
    }

    public var cas: String { dataDirectory + "/cas" }
    public var blobs: String { cas + "/blob/sha512" }
    public var database: String { cas + "/db/rkt.sqlite" }
    public var databaseDirectory: String { cas + "/db" }
    public var trees: String { cas + "/tree" }
    public var temporary: String { cas + "/tmp" }
    public var signatures: String { cas + "/sig" }
    public var imageLocks: String { cas + "/imagelocks" }
    public var treeLocks: String { cas + "/treestorelocks" }
    public var layers: String { cas + "/layer" }
    public var layerLocks: String { cas + "/layerlocks" }
    public var remotes: String { cas + "/remote" }

    /// Directories created when the store is opened.
    public var directories: [String] {
        [dataDirectory, cas, cas + "/blob", blobs, databaseDirectory, trees, temporary, imageLocks, treeLocks, signatures, layers, layerLocks, remotes]
    }

    /// `sha512-<64 hex>` keys live in a fan-out directory named by the first two hex digits.
    public func blobPath(key: String) -> String {
        let hex = key.dropFirst(ImageKey.prefix.count)
        return blobs + "/" + hex.prefix(2) + "/" + key
    }

    public func signaturePath(key: String) -> String { signatures + "/" + key + ".asc" }
    public func signedCopyPath(key: String) -> String { signatures + "/" + key + ".signed" }

    public func treeDirectory(id: String) -> String { trees + "/" + id }
    public func treeRootfs(id: String) -> String { treeDirectory(id: id) + "/rootfs" }
    public func layerPath(_ digest: OCIDigest) -> String {
        layers + "/" + digest.algorithm.rawValue + "/" + digest.hex.prefix(2) + "/" + digest.fileName
    }

    public func layerLock(_ digest: OCIDigest) -> String { layerLocks + "/" + digest.fileName }

    public func imageLock(key: String) -> String { imageLocks + "/" + key }
    public func treeLock(id: String) -> String { treeLocks + "/" + id }
}
