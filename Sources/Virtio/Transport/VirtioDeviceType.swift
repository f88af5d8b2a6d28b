/// Device IDs of virtio 1.2 §5 for the devices our VMM offers.
public enum VirtioDeviceType {
    public static let network: UInt32 = 1
    public static let block: UInt32 = 2
    public static let console: UInt32 = 3
    public static let socket: UInt32 = 19
}
