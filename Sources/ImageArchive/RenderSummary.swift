/// What one `TreeRenderer.render` call did.
public struct RenderSummary: Equatable, Sendable {
    /// At most this many skipped device-node paths are kept in `skippedDeviceNodes` (the count goes on).
    public static let maxRecordedSkips = 64

    /// Entries read from the archive (all of them, also those outside rootfs/ or filtered out).
    public var entriesRead = 0
    /// Entries materialized in the tree.
    public var entriesWritten = 0
    /// Bytes of regular-file data written.
    public var bytesWritten: Int64 = 0
    /// Character and block device entries left out of the tree (images never create device nodes), and
    /// hardlinks to them.
    public var deviceNodesSkipped = 0
    /// Their paths as written in the archive, the first `maxRecordedSkips` of them.
    public var skippedDeviceNodes: [String] = []
}
