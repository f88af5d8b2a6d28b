/// The order of the virtio-blk disks the host attaches, which is the order the guest kernel names them
/// (`vda`, `vdb`, …): the stage1 root with GuestInit, the pod config, the writable scratch disk, then one
/// read-only disk per distinct image tree and one per host volume.
public enum GuestDisks {
    public static let stage1Root = 0
    public static let config = 1
    public static let scratch = 2
    public static let firstImage = 3
    /// More disks than virtio-mmio slots the VMM hands out would not be seen by the guest anyway.
    public static let maximumCount = 64
    /// The config disk holds at most this much text, then zero padding.
    public static let maximumConfigSize = 1 << 20

    /// The kernel's name for the disk at `index`: vda…vdz, vdaa…vdaz, … (as sd names are formed).
    public static func deviceName(index: Int) -> String {
        precondition(index >= 0)
        var letters: [UInt8] = []
        var value = index
        repeat {
            letters.insert(UInt8(0x61 + value % 26), at: 0)
            value = value / 26 - 1
        } while value >= 0
        return "vd" + String(decoding: letters, as: UTF8.self)
    }
}
