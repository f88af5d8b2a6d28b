import Foundation
import ImageStore
import OCI

/// An unpacked `docker save` archive: `manifest.json` names the config file, the repository tags and the
/// layer tars (uncompressed) by paths inside the archive. There is no registry manifest, so one is made up
/// from the files' digests (computed here, checked again as the layers are stored).
struct DockerArchiveSource: OCIBlobSource {
    let directory: String
    let origin: String
    /// The first `RepoTags` entry (`busybox:latest`), if any.
    let repositoryTag: String?
    private let manifestBytes: [UInt8]
    private let paths: [OCIDigest: String]

    static let maximumManifestSize = 1 << 20

    init(directory: String, origin: String) throws {
        self.directory = directory
        self.origin = origin
        let data = try ContainedFile.read("manifest.json", under: directory, limit: Self.maximumManifestSize)
        guard let list = try? JSONSerialization.jsonObject(with: Data(data)) as? [[String: Any]], let image = list.first else {
            throw FetchError.invalidSource(origin, reason: "manifest.json is not a list of images")
        }
        guard list.count == 1 else {
            throw FetchError.invalidSource(origin, reason: "manifest.json lists \(list.count) images; only single-image archives are supported")
        }
        guard let configPath = image["Config"] as? String, let layerPaths = image["Layers"] as? [String],
              layerPaths.count <= OCIManifest.maximumLayers else {
            throw FetchError.invalidSource(origin, reason: "manifest.json: Config and Layers are required (at most \(OCIManifest.maximumLayers) layers)")
        }
        repositoryTag = (image["RepoTags"] as? [String])?.first
        var paths: [OCIDigest: String] = [:]
        func describe(_ path: String, mediaType: String) throws -> [String: Any] {
            let fd = try ContainedFile.open(path, under: directory)
            defer { close(fd) }
            let hasher = DigestHasher()
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = read(fd, &buffer, buffer.count)
                guard count >= 0 else { throw FetchError.invalidSource(origin, reason: "reading \(path) failed") }
                if count == 0 { break }
                buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            let size = hasher.count
            let digest = hasher.finalize()
            paths[digest] = path
            return ["mediaType": mediaType, "digest": digest.description, "size": size]
        }
        let config = try describe(configPath, mediaType: OCIMediaType.dockerConfig)
        let layers = try layerPaths.map { try describe($0, mediaType: OCIMediaType.dockerLayer) }
        let manifest: [String: Any] = ["schemaVersion": 2, "mediaType": OCIMediaType.dockerManifest, "config": config, "layers": layers]
        manifestBytes = [UInt8](try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys]))
        self.paths = paths
    }

    func rootDocument() throws -> (bytes: [UInt8], mediaType: String?) {
        (manifestBytes, OCIMediaType.dockerManifest)
    }

    func document(_ descriptor: OCIDescriptor, limit: Int) throws -> [UInt8] {
        let bytes = try ContainedFile.read(try path(descriptor), under: directory, limit: limit)
        try descriptor.verify(bytes)
        return bytes
    }

    func layer(_ descriptor: OCIDescriptor, into writer: LayerWriter, progress: (Int64) -> Void) throws {
        let relative = try path(descriptor)
        let fd = try ContainedFile.open(relative, under: directory)
        defer { close(fd) }
        try ContainedFile.stream(fd, name: directory + "/" + relative, into: writer, progress: progress)
    }

    private func path(_ descriptor: OCIDescriptor) throws -> String {
        guard let path = paths[descriptor.digest] else {
            throw FetchError.invalidSource(origin, reason: "no file for blob \(descriptor.digest)")
        }
        return path
    }
}
