/// A device on the port-I/O or MMIO bus. Offsets are relative to the start of the device's range. Devices
/// are called from vCPU threads (several at once with several vCPUs) and must guard their own state.
public protocol BusDevice: AnyObject, Sendable {
    /// Answers a guest read of `count` bytes (1, 2, 4 or 8); must return exactly `count` bytes.
    func read(offset: UInt64, count: Int) -> [UInt8]
    func write(offset: UInt64, bytes: [UInt8])
}
