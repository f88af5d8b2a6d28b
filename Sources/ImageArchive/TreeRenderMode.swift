/// What kind of archive a render reads.
enum TreeRenderMode: Equatable {
    /// An ACI: the tree is what lies below `rootfs/`; nothing is written through a symlink.
    case aci
    /// An OCI / docker layer: paths are relative to the tree root; `.wh.` whiteouts delete what lower layers
    /// left; directory symlinks in the parents of an entry are followed, resolved inside the root (as
    /// if the root were `/`), never outside.
    case layer
}
