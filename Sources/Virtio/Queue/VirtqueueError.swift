/// A virtqueue fault. Two kinds, with two outcomes (our policy):
/// - `malformedChain`: one request is bad. The entry is consumed; if its head is a valid index the device gives
///   it back with used length 0 (see `Virtqueue.popValidChain`) and goes on with the next request.
/// - everything else is a ring fault (`isRingFailure`): the rings themselves cannot be trusted any more. The
///   device stops using the queue and the transport sets DEVICE_NEEDS_RESET and raises a configuration interrupt.
public enum VirtqueueError: Error, Equatable, Sendable, CustomStringConvertible {
    case notReady
    case invalidSize(size: UInt16, maximum: UInt16)
    case misalignedRing(name: String, address: UInt64, alignment: Int)
    case ringOutsideMemory(name: String, address: UInt64, length: Int)
    case availableIndexJump(from: UInt16, to: UInt16, queueSize: UInt16)
    case usedHeadOutOfRange(head: UInt16, queueSize: UInt16)
    case malformedChain(head: UInt16, DescriptorChainError)

    public var isRingFailure: Bool {
        if case .malformedChain = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .notReady: return "virtqueue is not ready"
        case let .invalidSize(size, maximum): return "virtqueue size \(size) is not a power of two in 1...\(maximum)"
        case let .misalignedRing(name, address, alignment):
            return "\(name) at 0x\(String(address, radix: 16)) is not aligned to \(alignment) bytes"
        case let .ringOutsideMemory(name, address, length):
            return "\(name) (\(length) bytes at 0x\(String(address, radix: 16))) is outside guest RAM"
        case let .availableIndexJump(from, to, size):
            return "available index jumped from \(from) to \(to), more than the queue size \(size)"
        case let .usedHeadOutOfRange(head, size): return "used head \(head) is not below the queue size \(size)"
        case let .malformedChain(head, reason): return "descriptor chain at head \(head): \(reason)"
        }
    }
}
