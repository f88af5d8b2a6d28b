/// One image in the store's index.
public struct ImageRecord: Equatable, Sendable {
    /// `sha512-<64 hex>`.
    public var key: String
    /// The image name from its manifest, e.g. `example.com/busybox`.
    public var name: String
    /// The image manifest as stored in the ACI (raw JSON text).
    public var manifestJSON: String
    /// Unix time in nanoseconds when the image was first imported.
    public var importTime: Int64
    /// Unix time in nanoseconds when the image was last fetched, rendered or run.
    public var lastUsed: Int64
    /// Size of the stored (uncompressed) ACI blob in bytes.
    public var size: Int64
    /// Bytes used by the rendered trees of this image, 0 when never rendered.
    public var treeSize: Int64
    /// Where it came from: `file:///path/busybox.aci`, a URL, or a docker reference.
    public var origin: String
    /// Fingerprint (lowercase hex) of the trusted key whose signature was verified when the image was
    /// fetched; empty when it was fetched without verification (`--insecure-options=image`).
    public var signer: String

    public init(key: String, name: String, manifestJSON: String, importTime: Int64, lastUsed: Int64,
                size: Int64, treeSize: Int64 = 0, origin: String, signer: String = "") {
        self.key = key
        self.name = name
        self.manifestJSON = manifestJSON
        self.importTime = importTime
        self.lastUsed = lastUsed
        self.size = size
        self.treeSize = treeSize
        self.origin = origin
        self.signer = signer
    }
}
