/// Why one descriptor chain was refused. Such a chain fails its own request only: the queue keeps working.
public enum DescriptorChainError: Error, Equatable, Sendable, CustomStringConvertible {
    case headOutOfRange(index: UInt16, queueSize: UInt16)
    case nextOutOfRange(index: UInt16, tableSize: Int)
    /// More descriptors than the table holds: a loop, or a chain longer than the queue.
    case chainTooLong(limit: Int)
    case readableAfterWritable(index: UInt16)
    case zeroLength(index: UInt16)
    case totalLengthOverflow
    case bufferOutsideMemory(address: UInt64, length: UInt32)
    case indirectNotNegotiated
    case nestedIndirect
    case indirectWithNext
    case invalidIndirectTable(address: UInt64, length: UInt32)

    public var description: String {
        switch self {
        case let .headOutOfRange(index, size): return "chain head \(index) is not below the queue size \(size)"
        case let .nextOutOfRange(index, size): return "descriptor next \(index) is not below the table size \(size)"
        case let .chainTooLong(limit): return "descriptor chain longer than \(limit) (loop?)"
        case let .readableAfterWritable(index): return "readable descriptor \(index) follows a writable one"
        case let .zeroLength(index): return "descriptor \(index) has length 0"
        case .totalLengthOverflow: return "descriptor chain lengths add up to more than 4 GiB"
        case let .bufferOutsideMemory(address, length):
            return "buffer of \(length) bytes at 0x\(String(address, radix: 16)) is outside guest RAM"
        case .indirectNotNegotiated: return "indirect descriptor without VIRTIO_RING_F_INDIRECT_DESC"
        case .nestedIndirect: return "indirect descriptor inside an indirect table"
        case .indirectWithNext: return "indirect descriptor also has VIRTQ_DESC_F_NEXT"
        case let .invalidIndirectTable(address, length):
            return "indirect table of \(length) bytes at 0x\(String(address, radix: 16)) is invalid"
        }
    }
}
