/// What one `TreeRenderer.render` call did.
public struct RenderSummary: Equatable, Sendable {
    /// Entries read from the archive (all of them, also those outside rootfs/ or filtered out).
    public var entriesRead = 0
    /// Entries materialized in the tree.
    public var entriesWritten = 0
    /// Bytes of regular-file data written.
    public var bytesWritten: Int64 = 0
}
