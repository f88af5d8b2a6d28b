#if canImport(Glibc)
import Glibc
#endif
import ImageStore
import OCI

/// An OCI image layout directory (`oci-layout`, `index.json`, `blobs/ALG/HEX`), as skopeo, umoci and
/// buildah write them. The image is the index entry tagged `tag`
/// (`org.opencontainers.image.ref.name`), or the only entry when no tag is given.
struct OCILayoutSource: OCIBlobSource {
    let directory: String
    let tag: String?
    let origin: String

    init(directory: String, tag: String?, origin: String) {
        self.directory = directory
        self.tag = tag
        self.origin = origin
    }

    func rootDocument() throws -> (bytes: [UInt8], mediaType: String?) {
        let entry = try chosenEntry()
        return (try document(entry, limit: OCIIndex.maximumSize), entry.mediaType)
    }

    /// The tag the image is stored under: the one asked for, else the only entry's ref.name when that is a
    /// valid tag, so `oci-layout:DIR` and `oci-layout:DIR:TAG` naming the same manifest give the same image
    /// (its ID covers the appc manifest, whose `version` label is the tag).
    func effectiveTag() throws -> String? {
        if let tag { return tag }
        guard let name = try chosenEntry().referenceName, DockerReference.isValidTag(name) else { return nil }
        return name
    }

    private func chosenEntry() throws -> OCIDescriptor {
        let indexBytes = try ContainedFile.read("index.json", under: directory, limit: OCIIndex.maximumSize)
        let index = try OCIIndex(bytes: indexBytes, document: directory + "/index.json")
        if let tag {
            guard let match = index.manifests.first(where: { $0.referenceName == tag }) else {
                throw FetchError.tagNotFound(source: directory, tag: tag, available: index.manifests.compactMap(\.referenceName))
            }
            return match
        }
        guard index.manifests.count == 1 else {
            throw FetchError.invalidSource(directory, reason: "index.json lists \(index.manifests.count) images; name one with :TAG "
                + "(tags: \(index.manifests.compactMap(\.referenceName).joined(separator: ", ")))")
        }
        return index.manifests[0]
    }

    func document(_ descriptor: OCIDescriptor, limit: Int) throws -> [UInt8] {
        guard descriptor.size <= Int64(limit) else { throw OCIError.tooLarge(document: descriptor.digest.description, limit: Int64(limit)) }
        let bytes = try ContainedFile.read(blobPath(descriptor), under: directory, limit: limit)
        try descriptor.verify(bytes)
        return bytes
    }

    func layer(_ descriptor: OCIDescriptor, into writer: LayerWriter, progress: (Int64) -> Void) throws {
        let fd = try ContainedFile.open(blobPath(descriptor), under: directory)
        defer { close(fd) }
        try ContainedFile.stream(fd, name: directory + "/" + blobPath(descriptor), into: writer, progress: progress)
    }

    private func blobPath(_ descriptor: OCIDescriptor) -> String {
        "blobs/" + descriptor.digest.algorithm.rawValue + "/" + descriptor.digest.hex
    }
}
