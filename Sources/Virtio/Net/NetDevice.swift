/// virtio-net (virtio 1.2 §5.1): one receive and one transmit queue, a MAC address and link status in config
/// space, and the offloads a tap with a virtio-net header supports — checksum and TSO both ways, mergeable
/// receive buffers. Packets cross the `NetBackend` with their header: the driver's goes to the backend as
/// written (the host kernel checks it), the backend's reaches the driver with num_buffers set. The backend is
/// read only while the driver has posted receive buffers: `pendingPacket` holds the one packet waiting.
///
/// Guest chains are untrusted: a transmit chain shorter than the header or longer than `maximumPacket`, or
/// receive buffers that cannot hold a packet, fail that packet only (reported, used length 0 or the packet
/// dropped), never the device.
public final class NetDevice: VirtioDevice {
    public let deviceType = VirtioDeviceType.network
    public let queueMaxSizes: [UInt16]
    public let deviceFeatures = VirtioFeatures.version1 | VirtioFeatures.ringIndirectDescriptors
        | VirtioFeatures.ringEventIndex | VirtioNet.featureMAC | VirtioNet.featureStatus | VirtioNet.offloadFeatures
    public let mac: [UInt8]
    public let backend: NetBackend
    let reportFault: (String) -> Void

    var memory: GuestMemory?
    var queues: [Virtqueue] = []
    private var interrupt: VirtioInterrupt?
    /// Whether the driver accepted mergeable receive buffers (one packet over several chains).
    var mergeableReceiveBuffers = false
    var pendingPacket: [UInt8]?
    /// Receive chains taken for `pendingPacket` while more are needed to hold it (mergeable buffers only).
    var heldChains: [DescriptorChain] = []
    /// Packets each way, for diagnostics and tests.
    public internal(set) var transmittedFrames = 0
    public internal(set) var receivedFrames = 0
    public internal(set) var droppedFrames = 0

    public init(mac: [UInt8], backend: NetBackend, queueSize: UInt16 = 256, reportFault: @escaping (String) -> Void = { _ in }) {
        precondition(mac.count == 6, "a MAC address has 6 bytes")
        self.mac = mac
        self.backend = backend
        queueMaxSizes = [queueSize, queueSize]
        self.reportFault = reportFault
    }

    /// Whether the device wants `backend.pollDescriptor` watched: it can take a packet now.
    public var wantsBackendInput: Bool { pendingPacket == nil && memory != nil }

    public func readConfig(offset: Int, count: Int) -> [UInt8] {
        guard offset >= 0, offset < VirtioNet.configLength, count > 0 else { return [] }
        let config = mac + [UInt8(VirtioNet.linkUp & 0xff), UInt8(VirtioNet.linkUp >> 8)]
        return Array(config[offset..<min(offset + count, VirtioNet.configLength)])
    }

    public func writeConfig(offset: Int, bytes: [UInt8]) {
        reportFault("virtio-net: write to read-only config offset \(offset) ignored")
    }

    public func activate(memory: GuestMemory, queues: [Virtqueue], features: UInt64, interrupt: VirtioInterrupt) throws {
        try backend.setReceiveOffloads(NetReceiveOffloads(features: features))
        mergeableReceiveBuffers = features & VirtioNet.featureMergeableReceiveBuffers != 0
        self.memory = memory
        self.queues = queues
        self.interrupt = interrupt
    }

    public func processQueue(_ index: Int) throws {
        switch index {
        case VirtioNet.receiveQueue: try receiveFromBackend()
        case VirtioNet.transmitQueue: try transmit()
        default: reportFault("virtio-net: notify of queue \(index)")
        }
    }

    public func reset() {
        memory = nil
        queues = []
        interrupt = nil
        pendingPacket = nil
        heldChains = []
        mergeableReceiveBuffers = false
        // The next driver may take no offloads: the backend must not keep sending it GSO packets.
        do { try backend.setReceiveOffloads(NetReceiveOffloads()) } catch { reportFault("virtio-net reset: \(error)") }
    }

    private func transmit() throws {
        let index = VirtioNet.transmitQueue
        guard let memory, index < queues.count, queues[index].isReady else { return }
        var completed = 0
        while let chain = try queues[index].popValidChain(from: memory, rejecting: { reportFault("virtio-net tx: \($0)") }) {
            let length = chain.readableLength
            if length < VirtioNet.headerLength || length > VirtioNet.maximumPacket {
                reportFault("virtio-net tx: chain \(chain.head) of \(length) bytes (header \(VirtioNet.headerLength), packet at most \(VirtioNet.maximumPacket)); dropped")
                droppedFrames += 1
            } else {
                let packet = try chain.readReadable(from: memory, count: length)
                if try backend.send(packet) { transmittedFrames += 1 } else { droppedFrames += 1 }
            }
            try queues[index].addUsed(head: chain.head, length: 0, in: memory)
            completed += 1
        }
        try notifyIfNeeded(queue: index, completed: completed)
    }

    func notifyIfNeeded(queue index: Int, completed: Int) throws {
        guard let memory, let interrupt else { return }
        try queues[index].signalUsed(completed: completed, in: memory, interrupt: interrupt)
    }
}
