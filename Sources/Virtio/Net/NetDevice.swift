/// virtio-net (virtio 1.2 §5.1) without offloads: one receive and one transmit queue, a MAC address and link
/// status in config space. Frames leave through a `NetBackend` with the virtio-net header stripped; frames
/// from the backend reach the guest behind a zeroed header (num_buffers = 1). The backend is read only while
/// the guest has posted receive buffers: `pendingFrame` holds the one frame waiting for a buffer.
///
/// Guest chains are untrusted: a transmit chain shorter than the header or longer than `maximumFrame`, or a
/// receive buffer too small for the frame, fails that packet only (reported, used length 0 or the frame
/// dropped), never the device.
public final class NetDevice: VirtioDevice {
    public let deviceType = VirtioDeviceType.network
    public let queueMaxSizes: [UInt16]
    public let deviceFeatures = VirtioFeatures.version1 | VirtioFeatures.ringIndirectDescriptors
        | VirtioFeatures.ringEventIndex | VirtioNet.featureMAC | VirtioNet.featureStatus
    public let mac: [UInt8]
    public let backend: NetBackend
    let reportFault: (String) -> Void

    private var memory: GuestMemory?
    private var queues: [Virtqueue] = []
    private var interrupt: VirtioInterrupt?
    private var pendingFrame: [UInt8]?
    /// Frames and bytes each way, for diagnostics and tests.
    public private(set) var transmittedFrames = 0
    public private(set) var receivedFrames = 0
    public private(set) var droppedFrames = 0

    public init(mac: [UInt8], backend: NetBackend, queueSize: UInt16 = 256, reportFault: @escaping (String) -> Void = { _ in }) {
        precondition(mac.count == 6, "a MAC address has 6 bytes")
        self.mac = mac
        self.backend = backend
        queueMaxSizes = [queueSize, queueSize]
        self.reportFault = reportFault
    }

    /// Whether the device wants `backend.pollDescriptor` watched: it can take a frame now.
    public var wantsBackendInput: Bool { pendingFrame == nil && memory != nil }

    public func readConfig(offset: Int, count: Int) -> [UInt8] {
        guard offset >= 0, offset < VirtioNet.configLength, count > 0 else { return [] }
        let config = mac + [UInt8(VirtioNet.linkUp & 0xff), UInt8(VirtioNet.linkUp >> 8)]
        return Array(config[offset..<min(offset + count, VirtioNet.configLength)])
    }

    public func writeConfig(offset: Int, bytes: [UInt8]) {
        reportFault("virtio-net: write to read-only config offset \(offset) ignored")
    }

    public func activate(memory: GuestMemory, queues: [Virtqueue], features: UInt64, interrupt: VirtioInterrupt) throws {
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
        pendingFrame = nil
    }

    /// Moves frames from the backend into posted receive buffers while both last. The event loop calls it
    /// (through `MMIOTransport.withDevice`) when the backend is readable; the guest's rx notify calls it too.
    public func receiveFromBackend() throws {
        let index = VirtioNet.receiveQueue
        guard let memory, index < queues.count, queues[index].isReady else { return }
        var delivered = 0
        while true {
            if pendingFrame == nil { pendingFrame = try backend.receive() }
            guard let frame = pendingFrame,
                  let chain = try queues[index].popValidChain(from: memory, rejecting: { reportFault("virtio-net rx: \($0)") }) else {
                break
            }
            pendingFrame = nil
            var packet = [UInt8](repeating: 0, count: VirtioNet.headerLength)
            packet[10] = 1  // num_buffers
            packet += frame
            if chain.writableLength < packet.count {
                reportFault("virtio-net rx: buffer of \(chain.writableLength) bytes for a \(packet.count)-byte packet; frame dropped")
                droppedFrames += 1
                try queues[index].addUsed(head: chain.head, length: 0, in: memory)
            } else {
                let written = try chain.writeWritable(packet, to: memory)
                try queues[index].addUsed(head: chain.head, length: UInt32(written), in: memory)
                receivedFrames += 1
            }
            delivered += 1
        }
        try notifyIfNeeded(queue: index, completed: delivered)
    }

    private func transmit() throws {
        let index = VirtioNet.transmitQueue
        guard let memory, index < queues.count, queues[index].isReady else { return }
        var completed = 0
        while let chain = try queues[index].popValidChain(from: memory, rejecting: { reportFault("virtio-net tx: \($0)") }) {
            let length = chain.readableLength
            if length < VirtioNet.headerLength || length > VirtioNet.headerLength + VirtioNet.maximumFrame {
                reportFault("virtio-net tx: chain \(chain.head) of \(length) bytes (header \(VirtioNet.headerLength), frame at most \(VirtioNet.maximumFrame)); dropped")
                droppedFrames += 1
            } else {
                let frame = try chain.readReadable(from: memory, offset: VirtioNet.headerLength, count: length - VirtioNet.headerLength)
                if try backend.send(frame) { transmittedFrames += 1 } else { droppedFrames += 1 }
            }
            try queues[index].addUsed(head: chain.head, length: 0, in: memory)
            completed += 1
        }
        try notifyIfNeeded(queue: index, completed: completed)
    }

    private func notifyIfNeeded(queue index: Int, completed: Int) throws {
        guard let memory, let interrupt else { return }
        try queues[index].signalUsed(completed: completed, in: memory, interrupt: interrupt)
    }
}
