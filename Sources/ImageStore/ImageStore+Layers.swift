import AppC
import Foundation
import ImageArchive
import LinuxSupport
import OCI

/// OCI / docker images are stored as their layers (one file per layer digest, shared by every image that
/// uses it) plus an index row whose blob is a small generated ACI: the converted appc manifest, which
/// lists the layers in its `coreos.com/rkt/oci/layers` annotation, and an empty rootfs. Rendering applies
/// the layers in order, then that ACI. A layer file without any image listing it is removed by
/// `rkt image rm` and `rkt image gc` unless someone holds its lock (an import in progress holds it shared).
extension ImageStore {
    public func hasLayer(_ digest: OCIDigest) -> Bool {
        FileSystem.exists(layout.layerPath(digest))
    }

    /// A writer for a layer not yet in the store; see `LayerWriter`.
    public func makeLayerWriter(for descriptor: OCIDescriptor) throws -> LayerWriter {
        try LayerWriter(descriptor: descriptor, temporary: temporaryPath("layer"), destination: layout.layerPath(descriptor.digest))
    }

    /// Runs `body` holding the layers' locks shared, so garbage collection leaves them alone while an
    /// image that lists them is being imported or rendered.
    public func withLayerLocks<R>(_ digests: [OCIDigest], _ body: () throws -> R) throws -> R {
        var locks: [FileLock] = []
        for digest in Set(digests).sorted() {
            let lock = try FileLock(path: layout.layerLock(digest))
            try lock.lock(.shared)
            locks.append(lock)
        }
        defer { locks.removeAll() }
        return try body()
    }

    /// Stores an image made of layers already in the store: the manifest must list them in its layers
    /// annotation. The row appears only after every layer is in place.
    public func importLayeredImage(manifest: ImageManifest, origin: String) throws -> ImportResult {
        let layers = try Self.layerDigests(of: manifest)
        return try withLayerLocks(layers) {
            for digest in layers where !hasLayer(digest) {
                throw StoreError.invalidImage(path: origin, reason: "layer \(digest) is not in the store")
            }
            let temporary = temporaryPath("layered")
            defer { unlink(temporary) }
            let tar = try LayeredImageACI.tar(manifest: Array(try manifest.jsonData(pretty: true)))
            try AtomicFile.write(tar, to: temporary, mode: 0o640)
            let result = try importACI(path: temporary, origin: origin)
            // `rkt image list` shows what the image takes: its manifest ACI plus its layers as stored.
            let layerBytes = Set(layers).reduce(Int64(0)) { $0 + (FileSystem.fileSize(layout.layerPath($1)) ?? 0) }
            try index.setSize(key: result.record.key, bytes: result.record.size + layerBytes)
            return ImportResult(record: try index.record(key: result.record.key) ?? result.record, alreadyStored: result.alreadyStored)
        }
    }

    /// The layer digests an image manifest lists, lowest first; [] for an ordinary ACI.
    public static func layerDigests(of manifest: ImageManifest) throws -> [OCIDigest] {
        guard let text = manifest.annotation(AppCImageConversion.layersAnnotation) else { return [] }
        return try text.split(separator: " ").map { try OCIDigest(String($0)) }
    }

    /// Applies the record's layers (if it is a layered image) into `rootfs`, lowest first.
    func renderStoredLayers(of record: ImageRecord, intoRootfs rootfs: String) throws {
        let layers = try Self.layerDigests(of: manifest(of: record))
        guard !layers.isEmpty, Self.isGeneratedLayeredImage(record) else { return }
        try withLayerLocks(layers) {
            for digest in layers {
                let path = layout.layerPath(digest)
                guard FileSystem.exists(path) else {
                    throw StoreError.invalidImage(path: record.key, reason: "layer \(digest) is missing from the store")
                }
                try renderArchive(of: record, layer: digest.description) {
                    try TreeRenderer().render(layer: path, into: rootfs)
                }
            }
        }
    }

    /// Whether the record is an OCI / docker image stored as layers (its blob alone has no files).
    public func isLayeredImage(_ record: ImageRecord) throws -> Bool {
        try !Self.layerDigests(of: manifest(of: record)).isEmpty && Self.isGeneratedLayeredImage(record)
    }

    /// Whether the record's blob is the ACI `importLayeredImage` generates for its manifest. Only then are the
    /// listed layers applied: an ordinary ACI carrying the annotation cannot pull other images' layers in.
    static func isGeneratedLayeredImage(_ record: ImageRecord) -> Bool {
        guard let tar = try? LayeredImageACI.tar(manifest: Array(record.manifestJSON.utf8)) else { return false }
        return ImageKey.key(fromSHA512Hex: SHA512Hasher.hexDigest(of: tar)) == record.key
    }

    /// Removes layer files no stored image lists (skipping locked ones); returns their digests.
    @discardableResult
    public func removeUnreferencedLayers() throws -> [String] {
        func referenced() throws -> Set<String> {
            var digests = Set<String>()
            for record in try index.allRecords() {
                for digest in (try? Self.layerDigests(of: manifest(of: record))) ?? [] { digests.insert(digest.fileName) }
            }
            return digests
        }
        var inUse = try referenced()
        var removed: [String] = []
        for algorithm in try FileSystem.entries(of: layout.layers).sorted() {
            for fanout in try FileSystem.entries(of: layout.layers + "/" + algorithm).sorted() {
                let directory = layout.layers + "/" + algorithm + "/" + fanout
                for name in try FileSystem.entries(of: directory).sorted() where !inUse.contains(name) {
                    let lock = try FileLock(path: layout.layerLocks + "/" + name)
                    guard try lock.tryLock(.exclusive) else { continue }
                    inUse = try referenced()
                    guard !inUse.contains(name) else { continue }
                    try FileSystem.removeTree(directory + "/" + name)
                    removed.append(name)
                }
            }
        }
        return removed
    }
}
