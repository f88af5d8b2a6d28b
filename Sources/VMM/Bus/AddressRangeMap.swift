/// Non-overlapping address ranges mapped to devices, looked up by binary search. Filled while the machine is
/// assembled; read-only once vCPUs run (so lookups need no lock).
public struct AddressRangeMap: Sendable {
    struct Entry: Sendable {
        let base: UInt64
        let length: UInt64
        let device: any BusDevice
    }

    private(set) var entries: [Entry] = []

    public init() {}

    public mutating func insert(_ device: any BusDevice, base: UInt64, length: UInt64) throws {
        guard length > 0 else { throw BusError.emptyRange(base: base) }
        guard base <= UInt64.max - (length - 1) else { throw BusError.rangeOverflows(base: base, length: length) }
        let last = base + (length - 1)
        for e in entries where base <= e.base + (e.length - 1) && e.base <= last {
            throw BusError.overlap(base: base, length: length, existingBase: e.base)
        }
        entries.append(Entry(base: base, length: length, device: device))
        entries.sort { $0.base < $1.base }
    }

    /// The device whose range holds `address` and the offset into it.
    public func lookup(_ address: UInt64) -> (device: any BusDevice, offset: UInt64)? {
        var low = 0, high = entries.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let e = entries[mid]
            if address < e.base {
                high = mid - 1
            } else if address - e.base >= e.length {
                low = mid + 1
            } else {
                return (e.device, address - e.base)
            }
        }
        return nil
    }

    public var count: Int { entries.count }
}
