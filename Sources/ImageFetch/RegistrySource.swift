import ImageStore
import OCI

/// A docker:// image as an `OCIBlobSource`.
struct RegistrySource: OCIBlobSource {
    let client: RegistryClient
    let reference: DockerReference

    var origin: String { "docker://" + reference.description }

    func rootDocument() throws -> (bytes: [UInt8], mediaType: String?) {
        let (bytes, mediaType) = try client.manifest(reference.manifestReference)
        if let digest = reference.digest {
            try digest.verify(bytes, blob: "manifest \(digest)")
        }
        return (bytes, mediaType)
    }

    func document(_ descriptor: OCIDescriptor, limit: Int) throws -> [UInt8] {
        if OCIMediaType.manifestTypes.contains(descriptor.mediaType) || OCIMediaType.indexTypes.contains(descriptor.mediaType) {
            let (bytes, _) = try client.manifest(descriptor.digest.description)
            try descriptor.verify(bytes)
            return bytes
        }
        return try client.blob(descriptor, limit: limit)
    }

    func layer(_ descriptor: OCIDescriptor, into writer: LayerWriter, progress: (Int64) -> Void) throws {
        try withoutActuallyEscaping(progress) { progress in
            try client.streamBlob(descriptor, into: writer, progress: progress)
        }
    }
}
