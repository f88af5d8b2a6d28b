/// Bounds on what one archive may make `TreeRenderer` (and `ACIReader.entries`) do. The defaults are
/// far above any real image and far below what would exhaust a host.
public struct RenderLimits: Equatable, Sendable {
    /// Entries in the archive, counting every member (also those outside rootfs/ or filtered out).
    public var maxEntries: Int
    /// Bytes of one regular file.
    public var maxFileSize: Int64
    /// Bytes of all regular files written together.
    public var maxTotalBytes: Int64
    /// Bytes of an entry path or link target (PATH_MAX on Linux).
    public var maxPathLength: Int
    /// Bytes of one path component (NAME_MAX on Linux).
    public var maxNameLength: Int
    /// Bytes of extended attributes (names plus values) of one entry.
    public var maxExtendedAttributeBytes: Int

    public init(
        maxEntries: Int = 1_000_000,
        maxFileSize: Int64 = 16 << 30,
        maxTotalBytes: Int64 = 64 << 30,
        maxPathLength: Int = 4096,
        maxNameLength: Int = 255,
        maxExtendedAttributeBytes: Int = 256 << 10
    ) {
        self.maxEntries = maxEntries
        self.maxFileSize = maxFileSize
        self.maxTotalBytes = maxTotalBytes
        self.maxPathLength = maxPathLength
        self.maxNameLength = maxNameLength
        self.maxExtendedAttributeBytes = maxExtendedAttributeBytes
    }

    public static let `default` = RenderLimits()
}
