/// The whiteout names of OCI layers (image-spec layer.md, from aufs): `.wh.NAME` deletes NAME from the
/// lower layers, `.wh..wh..opq` in a directory hides everything the lower layers had in it. Other
/// `.wh..wh.` names are aufs metadata and are skipped.
enum Whiteout {
    static let prefix = ".wh."
    static let metadataPrefix = ".wh..wh."
    static let opaque = ".wh..wh..opq"
}
