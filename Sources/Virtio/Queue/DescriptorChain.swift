/// A validated chain popped from a virtqueue's available ring: the device-readable buffers, then the
/// device-writable ones, in the order the driver linked them (indirect tables flattened).
/// Every buffer lies inside guest RAM, no buffer is empty, and each side totals at most `UInt32.max` bytes.
public struct DescriptorChain: Equatable, Sendable {
    /// The index of the chain's first descriptor: what `Virtqueue.addUsed(head:length:in:)` gives back.
    public let head: UInt16
    public let readable: [GuestBuffer]
    public let writable: [GuestBuffer]

    public init(head: UInt16, readable: [GuestBuffer], writable: [GuestBuffer]) {
        self.head = head
        self.readable = readable
        self.writable = writable
    }

    public var readableLength: Int { readable.reduce(0) { $0 + Int($1.length) } }
    public var writableLength: Int { writable.reduce(0) { $0 + Int($1.length) } }
}
