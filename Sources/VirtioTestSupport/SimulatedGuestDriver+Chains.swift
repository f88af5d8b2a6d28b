import Virtio

extension SimulatedGuestDriver {
    /// A used-ring element as the driver reads it.
    public struct UsedElement: Equatable, Sendable {
        public let head: UInt16
        public let length: UInt32

        public init(head: UInt16, length: UInt32) {
            self.head = head
            self.length = length
        }
    }

    /// A posted request: its head and where its buffers were placed.
    public struct PostedChain: Sendable {
        public let head: UInt16
        public let readable: [GuestBuffer]
        public let writable: [GuestBuffer]
    }

    /// Posts a well-formed chain: one readable buffer per element of `readable` (filled with those bytes), then
    /// one writable buffer per element of `writable` (that many zeroed bytes). Does not notify.
    @discardableResult
    public func post(queue index: Int, readable: [[UInt8]] = [], writable: [Int] = []) throws -> PostedChain {
        var descriptors: [SimulatedDescriptor] = []
        var readableBuffers: [GuestBuffer] = []
        var writableBuffers: [GuestBuffer] = []
        for bytes in readable {
            let address = try allocate(bytes.count)
            try memory.write(bytes: bytes, at: address)
            readableBuffers.append(GuestBuffer(address: address, length: UInt32(bytes.count)))
            descriptors.append(SimulatedDescriptor(address: address, length: UInt32(bytes.count)))
        }
        for length in writable {
            let address = try allocate(length)
            writableBuffers.append(GuestBuffer(address: address, length: UInt32(length)))
            descriptors.append(SimulatedDescriptor(address: address, length: UInt32(length), flags: SimulatedDescriptor.write))
        }
        let head = try postLinked(queue: index, descriptors)
        return PostedChain(head: head, readable: readableBuffers, writable: writableBuffers)
    }

    /// Places `descriptors` in consecutive free slots, links them with NEXT, and publishes the first.
    public func postLinked(queue index: Int, _ descriptors: [SimulatedDescriptor]) throws -> UInt16 {
        guard var queue = queues[index] else { throw SimulatedDriverError.queueUnavailable(index) }
        let head = queue.nextFreeDescriptor % queue.size
        var slots: [UInt16: SimulatedDescriptor] = [:]
        for (offset, var descriptor) in descriptors.enumerated() {
            let slot = (head + UInt16(offset)) % queue.size
            if offset < descriptors.count - 1 {
                descriptor.flags |= SimulatedDescriptor.next
                descriptor.next = (slot + 1) % queue.size
            }
            slots[slot] = descriptor
        }
        queue.nextFreeDescriptor = (head + UInt16(descriptors.count)) % queue.size
        queues[index] = queue
        try postRaw(queue: index, descriptors: slots, heads: [head])
        return head
    }

    /// Writes descriptors at the given table slots exactly as given (no linking, no checks) and publishes
    /// `heads` on the available ring: the tool for hostile chains.
    public func postRaw(queue index: Int, descriptors: [UInt16: SimulatedDescriptor], heads: [UInt16]) throws {
        guard var queue = queues[index] else { throw SimulatedDriverError.queueUnavailable(index) }
        for (slot, descriptor) in descriptors {
            try writeDescriptor(descriptor, at: queue.descriptorTable + 16 * UInt64(slot))
        }
        for head in heads {
            try memory.write(head, at: queue.availableRing + 4 + 2 * UInt64(queue.availableIndex % queue.size))
            queue.availableIndex &+= 1
        }
        memory.releaseFence()
        try memory.write(queue.availableIndex, at: queue.availableRing + 2)
        queues[index] = queue
    }

    /// Writes an indirect descriptor table into fresh guest memory and returns its address. Linux kmallocs
    /// these tables, so they may sit 8 bytes past a 16-byte boundary: `misalignment` places one there.
    public func writeIndirectTable(_ descriptors: [SimulatedDescriptor], misalignment: UInt64 = 0) throws -> UInt64 {
        let table = try allocate(16 * max(descriptors.count, 1) + Int(misalignment), alignment: 16) + misalignment
        for (slot, descriptor) in descriptors.enumerated() {
            try writeDescriptor(descriptor, at: table + 16 * UInt64(slot))
        }
        return table
    }

    /// Publishes an arbitrary available idx (for the "idx jumped" case).
    public func setAvailableIndex(queue index: Int, _ value: UInt16) throws {
        guard var queue = queues[index] else { throw SimulatedDriverError.queueUnavailable(index) }
        queue.availableIndex = value
        try memory.write(value, at: queue.availableRing + 2)
        queues[index] = queue
    }

    /// Sets or clears VIRTQ_AVAIL_F_NO_INTERRUPT.
    public func setNoInterrupt(queue index: Int, _ on: Bool) throws {
        guard let queue = queues[index] else { throw SimulatedDriverError.queueUnavailable(index) }
        try memory.write(UInt16(on ? 1 : 0), at: queue.availableRing)
    }

    /// Writes `used_event` (EVENT_IDX): "interrupt me when the used idx passes this".
    public func setUsedEvent(queue index: Int, _ value: UInt16) throws {
        guard let queue = queues[index] else { throw SimulatedDriverError.queueUnavailable(index) }
        try memory.write(value, at: queue.usedEventAddress)
    }

    /// Reads the device's `avail_event` (EVENT_IDX).
    public func availableEvent(queue index: Int) throws -> UInt16 {
        guard let queue = queues[index] else { throw SimulatedDriverError.queueUnavailable(index) }
        return try memory.read(UInt16.self, at: queue.availableEventAddress)
    }

    /// Kicks the device through the QueueNotify register.
    public func notify(queue index: Int) {
        transport.writeRegister(MMIORegister.queueNotify, UInt32(index))
    }

    /// The used elements the device published since the last call. Like Linux re-enabling callbacks after
    /// draining, it then sets `used_event` to the next used idx it expects (meaningful with EVENT_IDX).
    public func takeUsed(queue index: Int) throws -> [UsedElement] {
        guard var queue = queues[index] else { throw SimulatedDriverError.queueUnavailable(index) }
        let published = try memory.read(UInt16.self, at: queue.usedRing + 2)
        var elements: [UsedElement] = []
        while queue.lastSeenUsed != published {
            let slot = queue.usedRing + 4 + 8 * UInt64(queue.lastSeenUsed % queue.size)
            elements.append(UsedElement(
                head: UInt16(truncatingIfNeeded: try memory.read(UInt32.self, at: slot)),
                length: try memory.read(UInt32.self, at: slot + 4)))
            queue.lastSeenUsed &+= 1
        }
        try memory.write(queue.lastSeenUsed, at: queue.usedEventAddress)
        queues[index] = queue
        return elements
    }

    private func writeDescriptor(_ descriptor: SimulatedDescriptor, at address: UInt64) throws {
        try memory.write(descriptor.address, at: address)
        try memory.write(descriptor.length, at: address + 8)
        try memory.write(descriptor.flags, at: address + 12)
        try memory.write(descriptor.next, at: address + 14)
    }
}
