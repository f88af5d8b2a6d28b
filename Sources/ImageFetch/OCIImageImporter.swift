import AppC
import Foundation
import ImageStore
import OCI

/// Fetches one OCI / docker image from a source into the store: follows an index to the linux/amd64
/// manifest, verifies manifest, config and every layer against their digests, stores the layers it does
/// not have yet (shared with other images), then the converted appc manifest. Nothing is indexed unless
/// every blob checked out.
public struct OCIImageImporter {
    public let store: ImageStore
    public var platform = OCIPlatform.linuxAMD64
    /// Called with one human-readable line per step (layer started / stored / already present).
    public var progress: (String) -> Void = { _ in }
    /// When set, called as a layer's bytes arrive (label, bytes so far, total) for a live progress bar; the
    /// 64 MiB progress lines are then left out.
    public var byteProgress: ((_ label: String, _ bytes: Int64, _ total: Int64) -> Void)?

    public init(store: ImageStore, progress: @escaping (String) -> Void = { _ in }) {
        self.store = store
        self.progress = progress
    }

    /// What an import produced.
    public struct Result {
        public let record: ImageRecord
        public let manifestDigest: OCIDigest
        /// Parts of the image config that had no appc equivalent and were dropped.
        public let warnings: [String]
        public let layersFetched: Int
        public let layersShared: Int
    }

    /// `name`: the image name to record (sanitized into an AC identifier); `tag`: its version label.
    func importImage(from source: OCIBlobSource, name: String, tag: String?, annotations: [(String, String)] = []) throws -> Result {
        var (bytes, mediaType) = try source.rootDocument()
        var digest = OCIDigest.of(bytes)
        for _ in 0..<2 where try Self.isIndex(bytes, mediaType: mediaType) {
            let index = try OCIIndex(bytes: bytes, document: "image index \(digest)")
            let chosen = try index.manifest(for: platform)
            bytes = try source.document(chosen, limit: OCIManifest.maximumSize)
            mediaType = chosen.mediaType
            digest = chosen.digest
        }
        let manifest = try OCIManifest(bytes: bytes, document: "image manifest \(digest)")
        let configBytes = try source.document(manifest.config, limit: OCIImageConfig.maximumSize)
        let config = try OCIImageConfig(bytes: configBytes, document: "image config \(manifest.config.digest)")
        if let diffCount = Optional(config.diffIDs.count), diffCount != 0, diffCount != manifest.layers.count {
            throw OCIError.invalidDocument(document: "image config \(manifest.config.digest)", field: "rootfs.diff_ids",
                                           reason: "\(diffCount) entries for \(manifest.layers.count) layers")
        }
        let conversion = AppCImageConversion(
            config: config, name: name, tag: tag, manifestDigest: digest, layers: manifest.layers.map(\.digest),
            originAnnotations: annotations)
        let (appcManifest, warnings) = try conversion.manifest()

        var fetched = 0
        var shared = 0
        let record = try store.withLayerLocks(manifest.layers.map(\.digest)) { () throws -> ImageRecord in
            for (number, layer) in manifest.layers.enumerated() {
                let label = "layer \(number + 1)/\(manifest.layers.count) \(layer.digest.hex.prefix(12))"
                if store.hasLayer(layer.digest) {
                    shared += 1
                    progress("\(label): already in the store")
                    continue
                }
                progress("\(label): fetching \(Self.size(layer.size))")
                let writer = try store.makeLayerWriter(for: layer)
                var reported: Int64 = 0
                try source.layer(layer, into: writer) { bytes in
                    if let byteProgress {
                        byteProgress(label, bytes, layer.size)
                    } else if bytes - reported >= 64 << 20 {
                        reported = bytes
                        progress("\(label): \(Self.size(bytes)) of \(Self.size(layer.size))")
                    }
                }
                try writer.commit()
                fetched += 1
                progress("\(label): stored (digest verified)")
            }
            return try store.importLayeredImage(manifest: appcManifest, origin: source.origin).record
        }
        return Result(record: record, manifestDigest: digest, warnings: warnings, layersFetched: fetched, layersShared: shared)
    }

    static func isIndex(_ bytes: [UInt8], mediaType: String?) throws -> Bool {
        if let mediaType, OCIMediaType.indexTypes.contains(mediaType) { return true }
        if let mediaType, OCIMediaType.manifestTypes.contains(mediaType) { return false }
        // No usable media type: an index has `manifests`, a manifest has `config`.
        guard bytes.count <= OCIIndex.maximumSize, let value = try? JSONValue(parsing: Data(bytes)) else { return false }
        return value["manifests"] != nil && value["config"] == nil
    }

    static func size(_ bytes: Int64) -> String {
        if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / Double(1 << 10)) }
        return "\(bytes) B"
    }
}
