/// What the simulated driver remembers about one virtqueue it set up.
public struct SimulatedQueue: Sendable {
    public let size: UInt16
    public let descriptorTable: UInt64
    public let availableRing: UInt64
    public let usedRing: UInt64
    /// The available idx the driver published last.
    public var availableIndex: UInt16 = 0
    /// The used idx up to which the driver has collected entries.
    public var lastSeenUsed: UInt16 = 0
    /// Where the next posted chain's descriptors start (wraps at `size`).
    public var nextFreeDescriptor: UInt16 = 0

    public var usedEventAddress: UInt64 { availableRing + 4 + 2 * UInt64(size) }
    public var availableEventAddress: UInt64 { usedRing + 4 + 8 * UInt64(size) }
}
