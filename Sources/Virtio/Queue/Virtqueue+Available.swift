extension Virtqueue {
    /// Pops the next chain the driver made available, or nil when there is none.
    /// Throws a ring fault (`VirtqueueError.isRingFailure`) when the available index moved by more than the
    /// queue size, or `.malformedChain(head:_:)` after consuming an entry whose chain is invalid.
    /// With EVENT_IDX, an empty queue publishes `avail_event` so the driver notifies on its next buffer.
    public mutating func popAvailable(from memory: GuestMemory) throws -> DescriptorChain? {
        guard isReady else { throw VirtqueueError.notReady }
        if try pendingCount(in: memory) == 0 {
            guard eventIndexEnabled else { return nil }
            try memory.write(nextAvailable, at: availableEventAddress)
            memory.fullFence()
            guard try pendingCount(in: memory) > 0 else { return nil }
        }
        let slot = availableRingAddress + 4 + 2 * UInt64(nextAvailable % size)
        let head = try memory.read(UInt16.self, at: slot)
        nextAvailable &+= 1
        do {
            return try readChain(head: head, in: memory)
        } catch let error as DescriptorChainError {
            throw VirtqueueError.malformedChain(head: head, error)
        } catch is GuestMemoryError {
            // Descriptors are read only inside validated tables; this is a defensive fallback.
            throw VirtqueueError.malformedChain(head: head, .headOutOfRange(index: head, queueSize: size))
        }
    }

    /// Pops the next well-formed chain. Malformed chains are given back to the driver with used length 0 (so
    /// its request completes with an error instead of hanging) and reported through `reject`; ring faults throw.
    public mutating func popValidChain(
        from memory: GuestMemory, rejecting reject: (VirtqueueError) -> Void
    ) throws -> DescriptorChain? {
        while true {
            do {
                return try popAvailable(from: memory)
            } catch let error as VirtqueueError {
                guard case let .malformedChain(head, _) = error else { throw error }
                reject(error)
                if head < size { try addUsed(head: head, length: 0, in: memory) }
            }
        }
    }

    /// Entries between `nextAvailable` and the driver's idx; a ring fault when that exceeds the queue size.
    private func pendingCount(in memory: GuestMemory) throws -> UInt16 {
        let published = try memory.read(UInt16.self, at: availableRingAddress + 2)
        memory.acquireFence()
        let pending = published &- nextAvailable
        guard pending <= size else {
            throw VirtqueueError.availableIndexJump(from: nextAvailable, to: published, queueSize: size)
        }
        return pending
    }

    private struct RawDescriptor {
        let address: UInt64
        let length: UInt32
        let flags: UInt16
        let next: UInt16

        init(table: UInt64, index: UInt16, memory: GuestMemory) throws {
            let base = table + UInt64(index) * UInt64(Virtqueue.descriptorSize)
            address = try memory.read(UInt64.self, at: base)
            length = try memory.read(UInt32.self, at: base + 8)
            flags = try memory.read(UInt16.self, at: base + 12)
            next = try memory.read(UInt16.self, at: base + 14)
        }

        func has(_ flag: UInt16) -> Bool { flags & flag != 0 }
    }

    /// Walks a chain from `head`, following at most one indirect table, with every index, length and address
    /// checked. The walk is bounded by the table size, so a looping chain ends in `.chainTooLong`.
    private func readChain(head: UInt16, in memory: GuestMemory) throws -> DescriptorChain {
        guard head < size else { throw DescriptorChainError.headOutOfRange(index: head, queueSize: size) }
        var readable: [GuestBuffer] = []
        var writable: [GuestBuffer] = []
        var readableTotal: UInt64 = 0
        var writableTotal: UInt64 = 0
        var table = descriptorTableAddress
        var tableSize = Int(size)
        var inIndirect = false
        var visited = 0
        var index = head
        while true {
            visited += 1
            guard visited <= tableSize else { throw DescriptorChainError.chainTooLong(limit: tableSize) }
            let descriptor = try RawDescriptor(table: table, index: index, memory: memory)
            if descriptor.has(Self.descriptorFlagIndirect) {
                guard indirectDescriptorsEnabled else { throw DescriptorChainError.indirectNotNegotiated }
                guard !inIndirect else { throw DescriptorChainError.nestedIndirect }
                guard !descriptor.has(Self.descriptorFlagNext) else { throw DescriptorChainError.indirectWithNext }
                let count = Int(descriptor.length) / Self.descriptorSize
                // No alignment is required of an indirect table (Linux kmallocs them 8-byte aligned);
                // descriptors are read with unaligned loads.
                guard descriptor.length > 0, Int(descriptor.length) % Self.descriptorSize == 0,
                      count <= Self.maximumIndirectDescriptors,
                      memory.contains(descriptor.address, length: Int(descriptor.length))
                else {
                    throw DescriptorChainError.invalidIndirectTable(
                        address: descriptor.address, length: descriptor.length)
                }
                inIndirect = true
                table = descriptor.address
                tableSize = count
                visited = 0
                index = 0
                continue
            }
            guard descriptor.length > 0 else { throw DescriptorChainError.zeroLength(index: index) }
            guard memory.contains(descriptor.address, length: Int(descriptor.length)) else {
                throw DescriptorChainError.bufferOutsideMemory(address: descriptor.address, length: descriptor.length)
            }
            let buffer = GuestBuffer(address: descriptor.address, length: descriptor.length)
            if descriptor.has(Self.descriptorFlagWrite) {
                writableTotal += UInt64(descriptor.length)
                guard writableTotal <= UInt64(UInt32.max) else { throw DescriptorChainError.totalLengthOverflow }
                writable.append(buffer)
            } else {
                guard writable.isEmpty else { throw DescriptorChainError.readableAfterWritable(index: index) }
                readableTotal += UInt64(descriptor.length)
                guard readableTotal <= UInt64(UInt32.max) else { throw DescriptorChainError.totalLengthOverflow }
                readable.append(buffer)
            }
            guard descriptor.has(Self.descriptorFlagNext) else { break }
            guard Int(descriptor.next) < tableSize else {
                throw DescriptorChainError.nextOutOfRange(index: descriptor.next, tableSize: tableSize)
            }
            index = descriptor.next
        }
        return DescriptorChain(head: head, readable: readable, writable: writable)
    }
}
