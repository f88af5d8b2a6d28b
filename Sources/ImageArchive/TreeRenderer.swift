/// Renders the `rootfs/` of an uncompressed ACI into a directory, safely for hostile archives: nothing
/// is created outside the target, no entry is written through a symlink, device nodes are left out
/// (never created; `RenderSummary` lists them), and every size is bounded by `RenderLimits`. Rendering
/// several ACIs into one root layers them (image dependencies first): later entries replace earlier
/// ones, a file replacing a directory and the other way round as tar does.
///
/// Preserved: permission bits including setuid/setgid/sticky, ownership (when running as root; skipped
/// otherwise), modification and access times, extended attributes (skipped where the filesystem does
/// not support them), symlinks (stored verbatim, whatever they point at), FIFOs, and hardlinks inside
/// the tree.
public struct TreeRenderer: Sendable {
    public init() {}

    /// Renders `rootfs/` of the tar at `aci` into `root` (created if missing). `include`, when given,
    /// sees each path relative to rootfs/ ("bin/sh") and decides whether the entry is rendered;
    /// directories it needs for included entries are created (mode 0755) either way.
    @discardableResult
    public func render(
        aci path: String, into root: String, include: ((String) -> Bool)? = nil,
        limits: RenderLimits = .default
    ) throws -> RenderSummary {
        let reader = try ArchiveReadHandle(format: .tar, name: path)
        try reader.open(path: path)
        let session = try TreeRenderSession(rootPath: root, limits: limits)
        return try session.render(from: reader, include: include)
    }

    /// Applies one OCI / docker layer (a tar, compressed or not; compression is recognised by content) on
    /// top of what `root` already holds: paths are relative to the root, `.wh.NAME` deletes NAME from the
    /// lower layers, `.wh..wh..opq` empties a directory of what lower layers put there. A directory
    /// symlink a lower layer left on an entry's path (merged /usr: `bin -> usr/bin`) is followed, resolved
    /// inside the root; the entry's own name is never followed, and every other ACI rule applies.
    @discardableResult
    public func render(layer path: String, into root: String, limits: RenderLimits = .default) throws -> RenderSummary {
        let reader = try ArchiveReadHandle(format: .tar, name: path)
        try reader.open(path: path)
        let session = try TreeRenderSession(rootPath: root, limits: limits, mode: .layer)
        return try session.render(from: reader, include: nil)
    }
}
