/// Receive: packets from the backend into the driver's buffers. With mergeable receive buffers a packet is
/// spread over as many chains as it needs, num_buffers telling the driver how many; without, it must fit one.
extension NetDevice {
    /// Moves packets from the backend into posted receive buffers while both last. The event loop calls it
    /// (through `MMIOTransport.withDevice`) when the backend is readable; the guest's rx notify calls it too.
    public func receiveFromBackend() throws {
        let index = VirtioNet.receiveQueue
        guard let memory, index < queues.count, queues[index].isReady else { return }
        var completed = 0
        while true {
            if pendingPacket == nil {
                guard let packet = try backend.receive() else { break }
                guard packet.count > VirtioNet.headerLength, packet.count <= VirtioNet.maximumPacket else {
                    reportFault("virtio-net rx: backend packet of \(packet.count) bytes; dropped")
                    droppedFrames += 1
                    continue
                }
                pendingPacket = packet
            }
            guard let packet = pendingPacket,
                  let used = try (mergeableReceiveBuffers ? placeMerged(packet, memory) : placeWhole(packet, memory)) else {
                break  // waiting for buffers
            }
            pendingPacket = nil
            completed += used
        }
        try notifyIfNeeded(queue: index, completed: completed)
    }

    /// The packet into one chain; nil when the driver has posted none. A chain too small drops the packet.
    private func placeWhole(_ packet: [UInt8], _ memory: GuestMemory) throws -> Int? {
        let index = VirtioNet.receiveQueue
        guard let chain = try queues[index].popValidChain(from: memory, rejecting: { reportFault("virtio-net rx: \($0)") }) else {
            return nil
        }
        if chain.writableLength < packet.count {
            reportFault("virtio-net rx: buffer of \(chain.writableLength) bytes for a \(packet.count)-byte packet; packet dropped")
            droppedFrames += 1
            try queues[index].addUsed(head: chain.head, length: 0, in: memory)
        } else {
            let written = try chain.writeWritable(Self.withBufferCount(packet, 1), to: memory)
            try queues[index].addUsed(head: chain.head, length: UInt32(written), in: memory)
            receivedFrames += 1
        }
        return 1
    }

    /// The packet over as many chains as it takes; nil while the driver has not posted enough (the chains
    /// taken so far are held). Buffers that can never hold it — the whole ring is not enough — drop it.
    private func placeMerged(_ packet: [UInt8], _ memory: GuestMemory) throws -> Int? {
        let index = VirtioNet.receiveQueue
        var room = heldChains.reduce(0) { $0 + $1.writableLength }
        var returnedEmpty = 0
        while room < packet.count {
            if heldChains.count >= Int(queues[index].size) {
                reportFault("virtio-net rx: \(heldChains.count) buffers of \(room) bytes in all for a \(packet.count)-byte packet; packet dropped")
                droppedFrames += 1
                for chain in heldChains { try queues[index].addUsed(head: chain.head, length: 0, in: memory) }
                defer { heldChains = [] }
                return heldChains.count + returnedEmpty
            }
            guard let chain = try queues[index].popValidChain(from: memory, rejecting: { reportFault("virtio-net rx: \($0)") }) else {
                if returnedEmpty > 0 { try notifyIfNeeded(queue: index, completed: returnedEmpty) }
                return nil
            }
            guard chain.writableLength > 0 else {
                reportFault("virtio-net rx: chain \(chain.head) has no writable buffer; returned unused")
                try queues[index].addUsed(head: chain.head, length: 0, in: memory)
                returnedEmpty += 1
                continue
            }
            heldChains.append(chain)
            room += chain.writableLength
        }
        let bytes = Self.withBufferCount(packet, heldChains.count)
        var offset = 0
        for chain in heldChains {
            let written = try chain.writeWritable(bytes[offset...], to: memory)
            try queues[index].addUsed(head: chain.head, length: UInt32(written), in: memory)
            offset += written
        }
        receivedFrames += 1
        defer { heldChains = [] }
        return heldChains.count + returnedEmpty
    }

    /// The packet with num_buffers (little-endian u16 at byte 10 of the header) set to `count`.
    static func withBufferCount(_ packet: [UInt8], _ count: Int) -> [UInt8] {
        var bytes = packet
        bytes[VirtioNet.numBuffersOffset] = UInt8(count & 0xff)
        bytes[VirtioNet.numBuffersOffset + 1] = UInt8((count >> 8) & 0xff)
        return bytes
    }
}
