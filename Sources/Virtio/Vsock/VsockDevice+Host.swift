extension VsockDevice {
    /// Handles what the backend reports (host clients connecting, streams ready), moves bytes both ways
    /// and re-arms the backend's watches. The event loop calls it when `backend.pollDescriptor` is readable.
    public func handleBackendEvents() throws {
        for event in try backend.pollEvents() {
            switch event {
            case let .hostConnect(stream, guestPort):
                openHostConnection(stream, guestPort: guestPort)
            case let .ready(identifier, readable, writable, hungUp):
                guard let key = keysByStream[identifier], let connection = connections[key] else { continue }
                if hungUp, connection.state == .connecting {
                    // The host client gave up before the guest answered: withdraw the REQUEST.
                    close(connection, resetGuest: !connection.owesRequest)
                    continue
                }
                if readable { connection.hostReadable = true }
                if writable { flushToHost(connection) }
            }
        }
        try deliverToGuest()
        try updateWatches()
    }

    /// A host client asked for guest port `guestPort`: the guest gets a REQUEST from a fresh host port.
    private func openHostConnection(_ stream: any VsockHostStream, guestPort: UInt32) {
        guard connections.count < limits.maximumConnections else {
            reportFault("virtio-vsock: \(limits.maximumConnections) connections open, refusing host client for guest port \(guestPort)")
            stream.close()
            return
        }
        let key = VsockConnectionKey(localPort: allocateLocalPort(peerPort: guestPort), peerPort: guestPort)
        let connection = VsockConnection(key: key, stream: stream, state: .connecting)
        connection.owesRequest = true
        add(connection)
    }

    /// Writes the greeting and buffered guest bytes the host stream takes now; closes the write side once
    /// the guest said it sends no more and everything is out. A failing stream resets the connection.
    func flushToHost(_ connection: VsockConnection) {
        do {
            while !connection.greeting.isEmpty {
                let written = try connection.stream.write(connection.greeting[...])
                guard written > 0 else { return }
                connection.greeting.removeFirst(written)
            }
            var forwarded = 0
            while forwarded < connection.toHost.count {
                let written = try connection.stream.write(connection.toHost[forwarded...])
                guard written > 0 else { break }
                forwarded += written
            }
            connection.toHost.removeFirst(forwarded)
            connection.forwardCount &+= UInt32(forwarded)
            connection.noteForwardProgress(bufferSize: limits.connectionBufferSize)
        } catch {
            reportFault("virtio-vsock: write to host for \(connection.key): \(error)")
            close(connection, resetGuest: true)
            return
        }
        if connection.toHost.isEmpty, connection.guestStoppedSending, !connection.hostWriteClosed {
            connection.stream.shutdownWrite()
            connection.hostWriteClosed = true
        }
    }

    /// Reads host bytes while the stream has them, the guest has credit and the staging bound allows.
    func refillFromHost(_ connection: VsockConnection) {
        while connection.hostReadable, connection.state == .established, !connection.hostEnded,
              !connection.guestStoppedReceiving {
            let room = min(Int(connection.peerCredit), limits.stagedBytesPerConnection) - connection.toGuest.count
            guard room > 0 else { return }
            do {
                switch try connection.stream.read(upTo: room) {
                case let .data(bytes): connection.toGuest += bytes
                case .wouldBlock: connection.hostReadable = false
                case .endOfStream:
                    connection.hostReadable = false
                    connection.hostEnded = true
                }
            } catch {
                reportFault("virtio-vsock: read from host for \(connection.key): \(error)")
                close(connection, resetGuest: true)
                return
            }
        }
    }

    /// Tells the backend which readiness each stream needs: readable while we would read it, writable while
    /// guest bytes wait for it.
    func updateWatches() throws {
        for connection in connections.values {
            let readable = connection.state == .established && !connection.hostEnded && !connection.hostReadable
                && !connection.guestStoppedReceiving
            let writable = !connection.greeting.isEmpty || !connection.toHost.isEmpty
            guard readable != connection.watchedReadable || writable != connection.watchedWritable else { continue }
            try backend.watch(connection.stream, readable: readable, writable: writable)
            connection.watchedReadable = readable
            connection.watchedWritable = writable
        }
    }
}
