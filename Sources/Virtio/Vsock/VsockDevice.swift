/// virtio-vsock (virtio 1.2 §5.10, device type 19): stream sockets between the host (CID 2) and the guest,
/// carried to host streams by a `VsockBackend` (the Firecracker-style hybrid Unix-socket backend in
/// production). The device keeps the connection table keyed by (host port, guest port), enforces the credit
/// flow control in both directions, and answers packets for unknown connections with RST.
///
/// Every header from the guest is validated (size, `len` against the chain and `maximumPayload`, CIDs,
/// type, op); a bad packet is dropped and reported, and the rest of the queue goes on. Buffers are bounded
/// (`VsockLimits`): a guest ignoring our credit gets its connection reset rather than more memory.
///
/// Threading: like every device, it runs under its transport's lock; the event loop reaches it through
/// `MMIOTransport.withDevice(VsockDevice.self) { try $0.handleBackendEvents() }`.
public final class VsockDevice: VirtioDevice {
    public let guestCID: UInt64
    public let backend: any VsockBackend
    public let limits: VsockLimits
    public let deviceType = VirtioDeviceType.socket
    public let deviceFeatures = VirtioFeatures.version1 | VirtioFeatures.ringIndirectDescriptors
        | VirtioFeatures.ringEventIndex
    public let queueMaxSizes: [UInt16]
    let reportFault: (String) -> Void

    var connections: [VsockConnectionKey: VsockConnection] = [:]
    var keysByStream: [Int32: VsockConnectionKey] = [:]
    var pendingResets: [VsockPacketHeader] = []
    var lastServedKey: VsockConnectionKey?
    var nextLocalPort: UInt32 = 1 << 30
    var memory: GuestMemory?
    var queues: [Virtqueue] = []
    var interrupt: VirtioInterrupt?

    /// Valid guest CIDs are 3 ... 0xFFFF_FFFE (0-2 are reserved, u32 max is VMADDR_CID_ANY).
    public init(
        guestCID: UInt64, backend: any VsockBackend, queueSize: UInt16 = 256, limits: VsockLimits = VsockLimits(),
        reportFault: @escaping (String) -> Void = { _ in }
    ) throws {
        guard guestCID > VirtioVsock.hostCID, guestCID < 0xFFFF_FFFF else {
            throw VsockConfigurationError.invalidGuestCID(guestCID)
        }
        self.guestCID = guestCID
        self.backend = backend
        self.limits = limits
        self.queueMaxSizes = [queueSize, queueSize, queueSize]
        self.reportFault = reportFault
    }

    /// Open connections (including host-initiated ones the guest has not answered yet).
    public var connectionKeys: [VsockConnectionKey] { connections.keys.sorted() }

    public func readConfig(offset: Int, count: Int) -> [UInt8] {
        guard offset >= 0, offset < VirtioVsock.configLength, count > 0 else { return [] }
        let bytes = (0..<VirtioVsock.configLength).map { UInt8(truncatingIfNeeded: guestCID >> (8 * $0)) }
        return Array(bytes[offset..<min(VirtioVsock.configLength, offset + count)])
    }

    public func writeConfig(offset: Int, bytes: [UInt8]) {
        reportFault("virtio-vsock: write to read-only config offset \(offset) ignored")
    }

    public func activate(memory: GuestMemory, queues: [Virtqueue], features: UInt64, interrupt: VirtioInterrupt) throws {
        self.memory = memory
        self.queues = queues
        self.interrupt = interrupt
        try deliverToGuest()
    }

    public func processQueue(_ index: Int) throws {
        switch index {
        case VirtioVsock.transmitQueue:
            try processTransmitQueue()
            try deliverToGuest()
        case VirtioVsock.receiveQueue:
            try deliverToGuest()
        case VirtioVsock.eventQueue:
            break // event buffers stay posted; we only use them for a transport reset
        default:
            reportFault("virtio-vsock: notify of queue \(index)")
        }
        try updateWatches()
    }

    /// Device reset: every connection is closed (host clients see end of file), queued packets are dropped.
    public func reset() {
        for connection in connections.values { connection.stream.close() }
        connections = [:]
        keysByStream = [:]
        pendingResets = []
        lastServedKey = nil
        memory = nil
        queues = []
        interrupt = nil
    }

    // MARK: Connection table

    func add(_ connection: VsockConnection) {
        connections[connection.key] = connection
        keysByStream[connection.stream.identifier] = connection.key
    }

    /// Closes the host stream and forgets the connection; `resetGuest` queues an RST for the guest.
    func close(_ connection: VsockConnection, resetGuest: Bool) {
        guard connections[connection.key] === connection else { return }  // closed already
        connection.stream.close()
        connections[connection.key] = nil
        keysByStream[connection.stream.identifier] = nil
        if resetGuest {
            queueReset(localPort: connection.key.localPort, peerPort: connection.key.peerPort)
        }
    }

    func queueReset(localPort: UInt32, peerPort: UInt32) {
        guard pendingResets.count < limits.maximumPendingResets else {
            reportFault("virtio-vsock: RST queue full, dropping RST for guest port \(peerPort)")
            return
        }
        pendingResets.append(header(localPort: localPort, peerPort: peerPort, operation: .reset))
    }

    /// A header from the host to the guest; credit fields are filled in when it is sent.
    func header(localPort: UInt32, peerPort: UInt32, operation: VsockOperation, flags: UInt32 = 0) -> VsockPacketHeader {
        VsockPacketHeader(sourceCID: VirtioVsock.hostCID, destinationCID: guestCID, sourcePort: localPort,
                          destinationPort: peerPort, operation: operation, flags: flags)
    }

    /// A host port for a host-initiated connection: counting up from 2^30 as Firecracker does, skipping ports
    /// in use with the same guest port.
    func allocateLocalPort(peerPort: UInt32) -> UInt32 {
        while true {
            let port = nextLocalPort
            nextLocalPort = nextLocalPort == UInt32.max ? 1 << 30 : nextLocalPort + 1
            if connections[VsockConnectionKey(localPort: port, peerPort: peerPort)] == nil { return port }
        }
    }

    func notifyIfNeeded(queue index: Int, completed: Int) throws {
        guard let memory, let interrupt else { return }
        try queues[index].signalUsed(completed: completed, in: memory, interrupt: interrupt)
    }
}
