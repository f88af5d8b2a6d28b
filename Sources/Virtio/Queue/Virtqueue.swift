/// A split virtqueue (virtio 1.2 §2.7) seen from the device. The driver sets its size, ring addresses and
/// readiness through the transport; the device pops chains from the available ring and returns them on the
/// used ring. Ring contents are guest-controlled and treated as hostile: see `VirtqueueError` for the policy.
///
/// Layout in guest memory (little-endian):
/// - descriptor table: `size` × 16 bytes {addr u64, len u32, flags u16, next u16}, 16-byte aligned
/// - available ring: {flags u16, idx u16, ring[size] u16, used_event u16}, 2-byte aligned
/// - used ring: {flags u16, idx u16, ring[size] {id u32, len u32}, avail_event u16}, 4-byte aligned
public struct Virtqueue: Sendable {
    static let descriptorSize = 16
    static let descriptorFlagNext: UInt16 = 1
    static let descriptorFlagWrite: UInt16 = 2
    static let descriptorFlagIndirect: UInt16 = 4
    static let availableFlagNoInterrupt: UInt16 = 1
    /// The most descriptors an indirect table may hold (as QEMU's VIRTQUEUE_MAX_SIZE).
    public static let maximumIndirectDescriptors = 1024

    public let maxSize: UInt16
    public var size: UInt16
    public var isReady = false
    public var descriptorTableAddress: UInt64 = 0
    public var availableRingAddress: UInt64 = 0
    public var usedRingAddress: UInt64 = 0
    /// VIRTIO_RING_F_EVENT_IDX was negotiated.
    public var eventIndexEnabled = false
    /// VIRTIO_RING_F_INDIRECT_DESC was negotiated.
    public var indirectDescriptorsEnabled = false

    /// The next available-ring slot the device will look at (free-running, wraps at 2^16).
    public internal(set) var nextAvailable: UInt16 = 0
    /// The next used-ring slot the device will fill (free-running; also the published used idx).
    public private(set) var nextUsed: UInt16 = 0
    private var usedAtLastCheck: UInt16 = 0
    private var hasCheckedNotification = false

    public init(maxSize: UInt16) {
        precondition(maxSize > 0 && maxSize & (maxSize - 1) == 0, "queue max size must be a power of two")
        self.maxSize = maxSize
        self.size = maxSize
    }

    /// Back to the state after device reset: not ready, no addresses, indices at zero.
    public mutating func reset() {
        self = Virtqueue(maxSize: maxSize)
    }

    var availableRingLength: Int { 6 + 2 * Int(size) }
    var usedRingLength: Int { 6 + 8 * Int(size) }
    var usedEventAddress: UInt64 { availableRingAddress + 4 + 2 * UInt64(size) }
    var availableEventAddress: UInt64 { usedRingAddress + 4 + 8 * UInt64(size) }

    /// Checks what the driver configured before the device uses the queue: size, ring alignment, and that all
    /// three rings lie inside guest RAM (so later ring accesses cannot leave it).
    public func validate(in memory: GuestMemory) throws {
        guard isReady else { throw VirtqueueError.notReady }
        guard size > 0, size <= maxSize, size & (size - 1) == 0 else {
            throw VirtqueueError.invalidSize(size: size, maximum: maxSize)
        }
        let rings: [(String, UInt64, Int, Int)] = [
            ("descriptor table", descriptorTableAddress, Self.descriptorSize * Int(size), 16),
            ("available ring", availableRingAddress, availableRingLength, 2),
            ("used ring", usedRingAddress, usedRingLength, 4),
        ]
        for (name, address, length, alignment) in rings {
            guard address % UInt64(alignment) == 0 else {
                throw VirtqueueError.misalignedRing(name: name, address: address, alignment: alignment)
            }
            guard memory.contains(address, length: length) else {
                throw VirtqueueError.ringOutsideMemory(name: name, address: address, length: length)
            }
        }
    }

    /// Puts a finished chain on the used ring and publishes the new used index (after a release fence, so the
    /// driver sees the element and the data the device wrote before it sees the index).
    public mutating func addUsed(head: UInt16, length: UInt32, in memory: GuestMemory) throws {
        guard head < size else { throw VirtqueueError.usedHeadOutOfRange(head: head, queueSize: size) }
        let slot = usedRingAddress + 4 + 8 * UInt64(nextUsed % size)
        try memory.write(UInt32(head), at: slot)
        try memory.write(length, at: slot + 4)
        memory.releaseFence()
        nextUsed &+= 1
        try memory.write(nextUsed, at: usedRingAddress + 2)
    }

    /// Whether the driver wants an interrupt for the buffers used since the last call: with EVENT_IDX, when the
    /// used index passed the driver's `used_event`; otherwise unless the driver set VIRTQ_AVAIL_F_NO_INTERRUPT.
    public mutating func needsNotification(in memory: GuestMemory) throws -> Bool {
        memory.fullFence()
        if eventIndexEnabled {
            let usedEvent = try memory.read(UInt16.self, at: usedEventAddress)
            let new = nextUsed
            let old = usedAtLastCheck
            let first = !hasCheckedNotification
            usedAtLastCheck = new
            hasCheckedNotification = true
            // vring_need_event: the driver asked to hear about index `usedEvent`, which lies in (old, new].
            return first || (new &- usedEvent &- 1) < (new &- old)
        }
        let flags = try memory.read(UInt16.self, at: availableRingAddress)
        return flags & Self.availableFlagNoInterrupt == 0
    }
}
