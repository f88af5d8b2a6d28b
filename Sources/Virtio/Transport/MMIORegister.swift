/// Register offsets of a virtio-mmio device, version 2 (virtio 1.2 §4.2.2). All registers below
/// `configuration` are 32 bits wide and accessed with aligned 32-bit loads and stores.
public enum MMIORegister {
    public static let magicValue = 0x000
    public static let version = 0x004
    public static let deviceID = 0x008
    public static let vendorID = 0x00C
    public static let deviceFeatures = 0x010
    public static let deviceFeaturesSelect = 0x014
    public static let driverFeatures = 0x020
    public static let driverFeaturesSelect = 0x024
    public static let queueSelect = 0x030
    public static let queueNumMax = 0x034
    public static let queueNum = 0x038
    public static let queueReady = 0x044
    public static let queueNotify = 0x050
    public static let interruptStatus = 0x060
    public static let interruptACK = 0x064
    public static let status = 0x070
    public static let queueDescriptorLow = 0x080
    public static let queueDescriptorHigh = 0x084
    public static let queueDriverLow = 0x090
    public static let queueDriverHigh = 0x094
    public static let queueDeviceLow = 0x0A0
    public static let queueDeviceHigh = 0x0A4
    public static let sharedMemorySelect = 0x0AC
    public static let sharedMemoryLengthLow = 0x0B0
    public static let sharedMemoryLengthHigh = 0x0B4
    public static let sharedMemoryBaseLow = 0x0B8
    public static let sharedMemoryBaseHigh = 0x0BC
    public static let queueReset = 0x0C0
    public static let configGeneration = 0x0FC
    /// Device-specific configuration space starts here.
    public static let configuration = 0x100
}
