extension VsockDevice {
    /// Fills the guest's receive buffers: pending RSTs first, then one packet at a time from the connections
    /// that have one, taking turns in port order so a busy stream cannot starve the others.
    func deliverToGuest() throws {
        let index = VirtioVsock.receiveQueue
        for connection in Array(connections.values) { refillFromHost(connection) }
        guard let memory, index < queues.count, queues[index].isReady else { return }
        var completed = 0
        while hasPacketForGuest,
              let chain = try queues[index].popValidChain(from: memory, rejecting: { reportFault("virtio-vsock rx: \($0)") }) {
            let length = try fill(chain, memory: memory)
            try queues[index].addUsed(head: chain.head, length: UInt32(length), in: memory)
            completed += 1
        }
        try notifyIfNeeded(queue: index, completed: completed)
    }

    private var hasPacketForGuest: Bool {
        !pendingResets.isEmpty || connections.values.contains { $0.hasPacketForGuest }
    }

    /// Writes the next packet into `chain`; returns the bytes written (0 for a chain too small for a header).
    private func fill(_ chain: DescriptorChain, memory: GuestMemory) throws -> Int {
        guard chain.writableLength >= VsockPacketHeader.size else {
            reportFault("virtio-vsock rx: chain \(chain.head) has \(chain.writableLength) writable bytes, less than a header")
            return 0
        }
        if !pendingResets.isEmpty {
            let reset = pendingResets.removeFirst()
            return try chain.writeWritable(reset.bytes, to: memory)
        }
        let ready = connections.values.filter { $0.hasPacketForGuest }.sorted { $0.key < $1.key }
        guard let connection = ready.first(where: { candidate in lastServedKey.map { candidate.key > $0 } ?? true }) ?? ready.first
        else { return 0 }
        lastServedKey = connection.key
        var packet = nextPacket(of: connection, room: chain.writableLength - VsockPacketHeader.size)
        packet.header.bufferAllocation = limits.connectionBufferSize
        packet.header.forwardCount = connection.forwardCount
        connection.advertisedForwardCount = connection.forwardCount
        connection.owesCreditUpdate = false
        try chain.writeWritable(packet.header.bytes, to: memory)
        try chain.writeWritable(packet.payload, to: memory, offset: VsockPacketHeader.size)
        // More staged bytes may now fit the guest's credit.
        refillFromHost(connection)
        return VsockPacketHeader.size + packet.payload.count
    }

    /// The most urgent packet a connection owes: REQUEST, RESPONSE, data, SHUTDOWN, then CREDIT_UPDATE.
    private func nextPacket(of connection: VsockConnection, room: Int) -> (header: VsockPacketHeader, payload: [UInt8]) {
        let key = connection.key
        if connection.owesRequest {
            connection.owesRequest = false
            return (header(localPort: key.localPort, peerPort: key.peerPort, operation: .request), [])
        }
        if connection.owesResponse {
            connection.owesResponse = false
            return (header(localPort: key.localPort, peerPort: key.peerPort, operation: .response), [])
        }
        let count = min(connection.toGuest.count, room, Int(connection.peerCredit))
        if connection.state == .established, count > 0, !connection.guestStoppedReceiving {
            let payload = Array(connection.toGuest.prefix(count))
            connection.toGuest.removeFirst(count)
            connection.sentCount &+= UInt32(count)
            var data = header(localPort: key.localPort, peerPort: key.peerPort, operation: .readWrite)
            data.length = UInt32(count)
            return (data, payload)
        }
        if connection.hostEnded, connection.toGuest.isEmpty, !connection.sentShutdown {
            connection.sentShutdown = true
            return (header(localPort: key.localPort, peerPort: key.peerPort, operation: .shutdown,
                           flags: VirtioVsock.shutdownSend), [])
        }
        return (header(localPort: key.localPort, peerPort: key.peerPort, operation: .creditUpdate), [])
    }
}
