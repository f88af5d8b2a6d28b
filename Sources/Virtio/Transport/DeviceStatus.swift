/// The device status register (virtio 1.2 §2.1): bits the driver sets as it brings the device up.
public struct DeviceStatus: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let acknowledge = DeviceStatus(rawValue: 1)
    public static let driver = DeviceStatus(rawValue: 2)
    public static let driverOK = DeviceStatus(rawValue: 4)
    public static let featuresOK = DeviceStatus(rawValue: 8)
    /// Set by the device, never by the driver: the device hit an error it cannot recover from until reset.
    public static let deviceNeedsReset = DeviceStatus(rawValue: 64)
    public static let failed = DeviceStatus(rawValue: 128)
}
