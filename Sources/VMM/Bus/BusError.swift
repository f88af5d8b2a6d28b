/// A device range that cannot be added to a bus.
public enum BusError: Error, Equatable, CustomStringConvertible, Sendable {
    case emptyRange(base: UInt64)
    case rangeOverflows(base: UInt64, length: UInt64)
    case overlap(base: UInt64, length: UInt64, existingBase: UInt64)

    public var description: String {
        switch self {
        case let .emptyRange(base): return "bus range at 0x\(String(base, radix: 16)) has length 0"
        case let .rangeOverflows(base, length):
            return "bus range at 0x\(String(base, radix: 16)) of length 0x\(String(length, radix: 16)) wraps around"
        case let .overlap(base, length, existing):
            return "bus range [0x\(String(base, radix: 16)), +0x\(String(length, radix: 16))) overlaps the device at 0x\(String(existing, radix: 16))"
        }
    }
}
