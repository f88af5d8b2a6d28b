/// The guest-physical MMIO bus: accesses to addresses without RAM, dispatched to device windows.
public final class MMIOBus: @unchecked Sendable {
    private var map = AddressRangeMap()

    public init() {}

    public func register(_ device: any BusDevice, address: UInt64, length: UInt64) throws {
        try map.insert(device, base: address, length: length)
    }

    /// The bytes for a read; `nil` when nothing is mapped there.
    public func read(address: UInt64, count: Int) -> [UInt8]? {
        guard let (device, offset) = map.lookup(address) else { return nil }
        return device.read(offset: offset, count: count)
    }

    @discardableResult
    public func write(address: UInt64, bytes: [UInt8]) -> Bool {
        guard let (device, offset) = map.lookup(address) else { return false }
        device.write(offset: offset, bytes: bytes)
        return true
    }
}
