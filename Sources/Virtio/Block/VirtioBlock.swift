/// Constants of the virtio block device (virtio 1.2 §5.2).
public enum VirtioBlock {
    public static let sectorSize = 512

    // Feature bits.
    public static let featureSizeMax: UInt64 = 1 << 1
    public static let featureSegmentMax: UInt64 = 1 << 2
    public static let featureReadOnly: UInt64 = 1 << 5
    public static let featureBlockSize: UInt64 = 1 << 6
    public static let featureFlush: UInt64 = 1 << 9

    // Request types.
    public static let requestIn: UInt32 = 0
    public static let requestOut: UInt32 = 1
    public static let requestFlush: UInt32 = 4
    public static let requestGetID: UInt32 = 8

    // Request status byte.
    public static let statusOK: UInt8 = 0
    public static let statusIOError: UInt8 = 1
    public static let statusUnsupported: UInt8 = 2

    /// struct virtio_blk_req's header: type u32, reserved u32, sector u64.
    public static let headerSize = 16
    /// GET_ID answers with up to this many bytes (NUL-padded).
    public static let identifierLength = 20

    // Configuration space offsets (struct virtio_blk_config).
    static let configCapacity = 0
    static let configSizeMax = 8
    static let configSegmentMax = 12
    static let configBlockSize = 20
    static let configLength = 60
}
