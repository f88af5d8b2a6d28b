/// The x86 port-I/O bus (64 Ki ports). Reads of ports without a device see 0xff (a floating ISA bus);
/// writes to them are dropped.
public final class IOBus: @unchecked Sendable {
    private var map = AddressRangeMap()

    public init() {}

    public func register(_ device: any BusDevice, port: UInt16, count: UInt16) throws {
        guard UInt32(port) + UInt32(count) <= 0x10000 else {
            throw BusError.rangeOverflows(base: UInt64(port), length: UInt64(count))
        }
        try map.insert(device, base: UInt64(port), length: UInt64(count))
    }

    /// Returns the bytes for an IN; `nil` when no device claims the port (the caller answers 0xff).
    public func read(port: UInt16, count: Int) -> [UInt8]? {
        guard let (device, offset) = map.lookup(UInt64(port)) else { return nil }
        return device.read(offset: offset, count: count)
    }

    /// Delivers an OUT; false when no device claims the port.
    @discardableResult
    public func write(port: UInt16, bytes: [UInt8]) -> Bool {
        guard let (device, offset) = map.lookup(UInt64(port)) else { return false }
        device.write(offset: offset, bytes: bytes)
        return true
    }
}
