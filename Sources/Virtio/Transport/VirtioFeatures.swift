/// Feature bits shared by every virtio device (virtio 1.2 §6, "Reserved Feature Bits").
/// Device-specific bits live with each device.
public enum VirtioFeatures {
    /// The split ring's descriptors may point at indirect descriptor tables (bit 28).
    public static let ringIndirectDescriptors: UInt64 = 1 << 28
    /// `used_event` / `avail_event` notification suppression (bit 29).
    public static let ringEventIndex: UInt64 = 1 << 29
    /// Compliance with virtio 1.x rather than the legacy interface (bit 32). Required by our transport.
    public static let version1: UInt64 = 1 << 32
}
