import Foundation
import OCI

/// Builds OCI image layouts for tests (the `oci:` format skopeo and umoci read): blobs under
/// `blobs/sha256/`, `index.json`, `oci-layout`. Layers are tars made by GNU tar from a staging directory,
/// so whiteouts (`.wh.NAME`, `.wh..wh..opq`) and symlinks are written exactly as docker would.
public final class OCILayoutBuilder {
    public let directory: String
    private var indexEntries: [[String: Any]] = []
    private var counter = 0

    public struct Layer {
        public var files: [String: String] = [:]
        public var directories: [String] = []
        public var symlinks: [String: String] = [:]
        /// Paths whose lower-layer version this layer deletes (`dir/.wh.name` is written).
        public var whiteouts: [String] = []
        /// Directories this layer makes opaque (`dir/.wh..wh..opq`).
        public var opaqueDirectories: [String] = []
        /// Files copied from the host (path in the layer → host path), mode kept.
        public var hostFiles: [String: String] = [:]
        /// Character device nodes (`/dev/null`'s numbers, made with mknod: needs root).
        public var characterDevices: [String] = []
        public var gzip = true

        public init(files: [String: String] = [:], directories: [String] = [], symlinks: [String: String] = [:],
                    whiteouts: [String] = [], opaqueDirectories: [String] = [], hostFiles: [String: String] = [:],
                    gzip: Bool = true) {
            self.hostFiles = hostFiles
            self.files = files
            self.directories = directories
            self.symlinks = symlinks
            self.whiteouts = whiteouts
            self.opaqueDirectories = opaqueDirectories
            self.gzip = gzip
        }
    }

    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/blobs/sha256", withIntermediateDirectories: true)
        try Data("{\"imageLayoutVersion\":\"1.0.0\"}".utf8).write(to: URL(fileURLWithPath: directory + "/oci-layout"))
        try writeIndex()
    }

    /// Stores bytes as a blob; returns a descriptor object with `mediaType`.
    @discardableResult
    public func addBlob(_ bytes: [UInt8], mediaType: String) throws -> [String: Any] {
        let digest = OCIDigest.of(bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: blobPath(digest)))
        return ["mediaType": mediaType, "digest": digest.description, "size": bytes.count]
    }

    public func blobPath(_ digest: OCIDigest) -> String {
        directory + "/blobs/sha256/" + digest.hex
    }

    public func blobPath(of descriptor: [String: Any]) throws -> String {
        blobPath(try OCIDigest(descriptor["digest"] as? String ?? ""))
    }

    /// Writes a layer tar (gzip-compressed unless `layer.gzip` is false) and returns its descriptor.
    public func addLayer(_ layer: Layer) throws -> [String: Any] {
        counter += 1
        let staging = directory + "/../staging-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let manager = FileManager.default
        try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        func parent(_ path: String) throws {
            try manager.createDirectory(atPath: (staging + "/" + path as NSString).deletingLastPathComponent,
                                        withIntermediateDirectories: true)
        }
        for path in layer.directories {
            try manager.createDirectory(atPath: staging + "/" + path, withIntermediateDirectories: true)
        }
        for (path, content) in layer.files {
            try parent(path)
            try Data(content.utf8).write(to: URL(fileURLWithPath: staging + "/" + path))
        }
        for (path, source) in layer.hostFiles {
            try parent(path)
            try manager.copyItem(atPath: source, toPath: staging + "/" + path)
        }
        for (path, target) in layer.symlinks {
            try parent(path)
            try manager.createSymbolicLink(atPath: staging + "/" + path, withDestinationPath: target)
        }
        for path in layer.characterDevices {
            try parent(path)
            try ACIFixture.run("/usr/bin/mknod", [staging + "/" + path, "c", "1", "3"])
        }
        for path in layer.whiteouts {
            let name = (path as NSString).lastPathComponent
            let dir = (path as NSString).deletingLastPathComponent
            try parent(path)
            try Data().write(to: URL(fileURLWithPath: staging + "/" + (dir.isEmpty ? "" : dir + "/") + ".wh." + name))
        }
        for dir in layer.opaqueDirectories {
            try manager.createDirectory(atPath: staging + "/" + dir, withIntermediateDirectories: true)
            try Data().write(to: URL(fileURLWithPath: staging + "/" + dir + "/.wh..wh..opq"))
        }
        let tar = staging + ".tar"
        defer { try? manager.removeItem(atPath: tar) }
        try ACIFixture.run("/usr/bin/tar", ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                                            "-C", staging, "-cf", tar, "."])
        if layer.gzip { try ACIFixture.run("/bin/gzip", ["-n", tar]) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: layer.gzip ? tar + ".gz" : tar)))
        if layer.gzip { try? manager.removeItem(atPath: tar + ".gz") }
        return try addBlob(bytes, mediaType: layer.gzip ? OCIMediaType.ociLayerGzip : OCIMediaType.ociLayer)
    }

    /// Writes config + manifest for `layers` and returns the manifest's descriptor (not yet in the index).
    public func addManifest(layers: [[String: Any]], config: [String: Any] = [:], architecture: String = "amd64") throws -> [String: Any] {
        var diffIDs: [String] = []
        for layer in layers {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try blobPath(of: layer))))
            let plain = (layer["mediaType"] as? String) == OCIMediaType.ociLayerGzip
                ? try ACIFixture.run("/bin/sh", ["-c", "gzip -dc '\(try blobPath(of: layer))' | sha256sum"]).prefix(64)
                : Substring(OCIDigest.of(bytes).hex)
            diffIDs.append("sha256:" + plain)
        }
        let configObject: [String: Any] = [
            "architecture": architecture, "os": "linux", "config": config,
            "rootfs": ["type": "layers", "diff_ids": diffIDs],
        ]
        let configDescriptor = try addBlob(Self.json(configObject), mediaType: OCIMediaType.ociConfig)
        let manifest: [String: Any] = [
            "schemaVersion": 2, "mediaType": OCIMediaType.ociManifest, "config": configDescriptor, "layers": layers,
        ]
        var descriptor = try addBlob(Self.json(manifest), mediaType: OCIMediaType.ociManifest)
        descriptor["platform"] = ["os": "linux", "architecture": architecture]
        return descriptor
    }

    /// Writes an image index (manifest list) over `manifests` and returns its descriptor.
    public func addIndexBlob(manifests: [[String: Any]]) throws -> [String: Any] {
        try addBlob(Self.json(["schemaVersion": 2, "mediaType": OCIMediaType.ociIndex, "manifests": manifests]),
                    mediaType: OCIMediaType.ociIndex)
    }

    /// Lists `descriptor` in index.json under `tag`.
    public func tag(_ descriptor: [String: Any], as tag: String) throws {
        var entry = descriptor
        entry["annotations"] = ["org.opencontainers.image.ref.name": tag]
        if (descriptor["mediaType"] as? String) == OCIMediaType.ociIndex { entry["platform"] = nil }
        indexEntries.append(entry)
        try writeIndex()
    }

    private func writeIndex() throws {
        let index: [String: Any] = ["schemaVersion": 2, "mediaType": OCIMediaType.ociIndex, "manifests": indexEntries]
        try Data(Self.json(index)).write(to: URL(fileURLWithPath: directory + "/index.json"))
    }

    static func json(_ object: [String: Any]) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }
}
