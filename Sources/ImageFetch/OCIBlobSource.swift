import ImageStore
import OCI

/// Where the documents and blobs of one OCI / docker image come from: a registry, an OCI layout on disk,
/// an unpacked archive. Every byte a source hands over is checked against its descriptor by the caller.
protocol OCIBlobSource {
    /// What `rkt image list` shows as the image's origin.
    var origin: String { get }
    /// The document the reference names: an image index / manifest list or a manifest, with its media
    /// type when the source says it (a registry's Content-Type, an index entry's mediaType).
    func rootDocument() throws -> (bytes: [UInt8], mediaType: String?)
    /// A small blob (manifest, config) read whole, at most `limit` bytes.
    func document(_ descriptor: OCIDescriptor, limit: Int) throws -> [UInt8]
    /// Streams a layer blob into `writer` (which checks size and digest on commit).
    func layer(_ descriptor: OCIDescriptor, into writer: LayerWriter, progress: (Int64) -> Void) throws
}
