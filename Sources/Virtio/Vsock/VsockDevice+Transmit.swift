extension VsockDevice {
    /// Takes every packet the guest posted on the transmit queue. A malformed packet is dropped and reported;
    /// the chain is always returned (used length 0: the device writes nothing into tx buffers).
    func processTransmitQueue() throws {
        let index = VirtioVsock.transmitQueue
        guard let memory, index < queues.count, queues[index].isReady else { return }
        var completed = 0
        while let chain = try queues[index].popValidChain(from: memory, rejecting: { reportFault("virtio-vsock tx: \($0)") }) {
            do {
                try handleGuestPacket(chain, memory: memory)
            } catch let error as VsockPacketError {
                reportFault("virtio-vsock tx: chain \(chain.head): \(error)")
            }
            try queues[index].addUsed(head: chain.head, length: 0, in: memory)
            completed += 1
        }
        try notifyIfNeeded(queue: index, completed: completed)
    }

    /// Validates one packet and applies it to its connection.
    private func handleGuestPacket(_ chain: DescriptorChain, memory: GuestMemory) throws {
        guard chain.readableLength >= VsockPacketHeader.size,
              let header = VsockPacketHeader(bytes: try chain.readReadable(from: memory, count: VsockPacketHeader.size))
        else { throw VsockPacketError.shortHeader(chain.readableLength) }
        guard header.length <= limits.maximumPayload else {
            throw VsockPacketError.payloadTooLarge(header.length, limit: limits.maximumPayload)
        }
        guard Int(header.length) <= chain.readableLength - VsockPacketHeader.size else {
            throw VsockPacketError.payloadBeyondChain(header.length, available: chain.readableLength - VsockPacketHeader.size)
        }
        guard header.sourceCID == guestCID else { throw VsockPacketError.wrongSourceCID(header.sourceCID) }
        guard header.destinationCID == VirtioVsock.hostCID else {
            throw VsockPacketError.wrongDestinationCID(header.destinationCID)
        }
        guard let operation = header.operation else { throw VsockPacketError.unknownOperation(header.rawOperation) }
        let key = VsockConnectionKey(localPort: header.destinationPort, peerPort: header.sourcePort)
        guard header.type == VirtioVsock.streamType else {
            if operation != .reset { queueReset(localPort: key.localPort, peerPort: key.peerPort) }
            throw VsockPacketError.unsupportedType(header.type)
        }
        guard let connection = connections[key] else {
            switch operation {
            case .request: openGuestConnection(key, header: header)
            case .reset: break
            default: queueReset(localPort: key.localPort, peerPort: key.peerPort)
            }
            return
        }
        connection.updatePeerCredit(from: header)
        switch operation {
        case .request:
            throw VsockPacketError.duplicateRequest(key)
        case .response:
            guard connection.state == .connecting else {
                close(connection, resetGuest: true)
                throw VsockPacketError.unexpectedResponse(key)
            }
            connection.state = .established
            connection.greeting = backend.establishedReply(hostPort: key.localPort)
            flushToHost(connection)
        case .reset:
            close(connection, resetGuest: false)
        case .shutdown:
            connection.guestShutdown |= header.flags & VirtioVsock.shutdownBoth
            if connection.guestShutdown == VirtioVsock.shutdownBoth {
                flushToHost(connection)
                close(connection, resetGuest: true)
            } else {
                flushToHost(connection)
            }
        case .readWrite:
            try receivePayload(header, chain: chain, memory: memory, connection: connection)
        case .creditUpdate:
            break
        case .creditRequest:
            connection.owesCreditUpdate = true
        }
    }

    /// REQUEST from the guest to host port `key.localPort`: the backend connects (RESPONSE) or refuses (RST).
    private func openGuestConnection(_ key: VsockConnectionKey, header: VsockPacketHeader) {
        guard connections.count < limits.maximumConnections else {
            reportFault("virtio-vsock: \(limits.maximumConnections) connections open, refusing \(key)")
            queueReset(localPort: key.localPort, peerPort: key.peerPort)
            return
        }
        let stream: any VsockHostStream
        do {
            stream = try backend.connect(toHostPort: key.localPort)
        } catch {
            reportFault("virtio-vsock: guest connect to host port \(key.localPort): \(error)")
            queueReset(localPort: key.localPort, peerPort: key.peerPort)
            return
        }
        let connection = VsockConnection(key: key, stream: stream, state: .established)
        connection.updatePeerCredit(from: header)
        connection.owesResponse = true
        add(connection)
    }

    /// RW: the payload goes to the host stream, or waits within buf_alloc for it.
    private func receivePayload(
        _ header: VsockPacketHeader, chain: DescriptorChain, memory: GuestMemory, connection: VsockConnection
    ) throws {
        guard connection.state == .established else {
            close(connection, resetGuest: true)
            throw VsockPacketError.dataBeforeEstablished(connection.key)
        }
        guard header.length > 0 else { return }
        guard !connection.guestStoppedSending else {
            throw VsockPacketError.dataAfterShutdown(connection.key)
        }
        guard connection.toHost.count + Int(header.length) <= Int(limits.connectionBufferSize) else {
            close(connection, resetGuest: true)
            throw VsockPacketError.creditExceeded(connection.key, buffered: connection.toHost.count, length: header.length)
        }
        connection.toHost += try chain.readReadable(from: memory, offset: VsockPacketHeader.size, count: Int(header.length))
        connection.receivedCount &+= header.length
        flushToHost(connection)
    }
}
