/// Everything that can go wrong reading, decompressing or rendering an image archive. Each case names
/// what failed: the archive file, the entry inside it (as written in the archive), or the limit crossed.
public enum ImageArchiveError: Error, CustomStringConvertible, Equatable, Sendable {
    /// libarchive could not read `archive` (corrupt data, truncated stream, unknown format...).
    case unreadable(archive: String, reason: String)
    /// The input or its uncompressed form grew past the caller's byte limit.
    case inputTooLarge(archive: String, limit: Int64)
    /// The decompressed stream does not start with a tar header.
    case notATar(archive: String, reason: String)
    /// Writing the uncompressed stream to the caller's descriptor failed.
    case outputFailed(reason: String)
    /// The ACI has no top-level `manifest` entry.
    case manifestMissing(archive: String)
    /// The `manifest` entry is present but unusable (too big, not a regular file, duplicated).
    case manifestInvalid(archive: String, reason: String)
    /// An entry is hostile or malformed: escaping path, write through a symlink, unsupported type...
    case unsafeEntry(entry: String, reason: String)
    /// An entry crossed one of the `RenderLimits` (or a reader limit).
    case limitExceeded(entry: String, reason: String)
    /// A system call failed while materializing an entry.
    case entryFailed(entry: String, reason: String)
    /// The render target directory itself could not be used.
    case targetUnusable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(archive, reason): return "cannot read archive \(archive): \(reason)"
        case let .inputTooLarge(archive, limit): return "archive \(archive) exceeds the limit of \(limit) bytes"
        case let .notATar(archive, reason): return "archive \(archive) is not a tar: \(reason)"
        case let .outputFailed(reason): return "writing the uncompressed tar failed: \(reason)"
        case let .manifestMissing(archive): return "archive \(archive) has no manifest entry"
        case let .manifestInvalid(archive, reason): return "archive \(archive): manifest \(reason)"
        case let .unsafeEntry(entry, reason): return "refusing archive entry \"\(entry)\": \(reason)"
        case let .limitExceeded(entry, reason): return "archive entry \"\(entry)\": \(reason)"
        case let .entryFailed(entry, reason): return "cannot extract archive entry \"\(entry)\": \(reason)"
        case let .targetUnusable(path, reason): return "cannot render into \(path): \(reason)"
        }
    }
}
