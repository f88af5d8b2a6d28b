/// virtio-blk (virtio 1.2 §5.2) over a `BlockFileBackend`: one request queue; IN, OUT, FLUSH and GET_ID.
/// Requests the guest gets wrong (short header, no status byte, misaligned length, sectors past the end,
/// writes to a read-only disk) complete with IOERR or UNSUPP; they never stop the device.
public final class BlockDevice: VirtioDevice {
    public let backend: BlockFileBackend
    /// The serial the guest sees through GET_ID (/sys/block/vda/serial), at most 20 bytes.
    public let identifier: [UInt8]
    public let deviceType = VirtioDeviceType.block
    public let queueMaxSizes: [UInt16]
    let reportFault: (String) -> Void

    var memory: GuestMemory?
    var queue: Virtqueue?
    var interrupt: VirtioInterrupt?

    public init(
        backend: BlockFileBackend, identifier: String, queueSize: UInt16 = 256,
        reportFault: @escaping (String) -> Void = { _ in }
    ) {
        self.backend = backend
        self.identifier = Array(Array(identifier.utf8).prefix(VirtioBlock.identifierLength))
        self.queueMaxSizes = [queueSize]
        self.reportFault = reportFault
    }

    /// Data segments per request: the queue size less the header and status descriptors.
    public var segmentMaximum: UInt32 { UInt32(max(Int(queueMaxSizes[0]) - 2, 1)) }

    public var deviceFeatures: UInt64 {
        var features = VirtioFeatures.version1 | VirtioFeatures.ringIndirectDescriptors | VirtioFeatures.ringEventIndex
            | VirtioBlock.featureSegmentMax | VirtioBlock.featureBlockSize | VirtioBlock.featureFlush
        if backend.isReadOnly { features |= VirtioBlock.featureReadOnly }
        return features
    }

    public func readConfig(offset: Int, count: Int) -> [UInt8] {
        var config = [UInt8](repeating: 0, count: VirtioBlock.configLength)
        Self.store(backend.sectorCount, in: &config, at: VirtioBlock.configCapacity)
        Self.store(segmentMaximum, in: &config, at: VirtioBlock.configSegmentMax)
        Self.store(UInt32(VirtioBlock.sectorSize), in: &config, at: VirtioBlock.configBlockSize)
        guard offset >= 0, offset < config.count, count > 0 else { return [] }
        return Array(config[offset..<min(config.count, offset + count)])
    }

    /// Every field we offer is read-only (no CONFIG_WCE): writes are ignored.
    public func writeConfig(offset: Int, bytes: [UInt8]) {
        reportFault("virtio-blk \(backend.path): write to read-only config offset \(offset) ignored")
    }

    public func activate(memory: GuestMemory, queues: [Virtqueue], features: UInt64, interrupt: VirtioInterrupt) throws {
        self.memory = memory
        self.queue = queues.first.flatMap { $0.isReady ? $0 : nil }
        self.interrupt = interrupt
    }

    public func processQueue(_ index: Int) throws {
        guard index == 0, var queue, let memory, let interrupt else { return }
        defer { self.queue = queue }
        var completed = 0
        while let chain = try queue.popValidChain(from: memory, rejecting: { reportFault("virtio-blk \(backend.path): \($0)") }) {
            let used = handle(chain, in: memory)
            try queue.addUsed(head: chain.head, length: used, in: memory)
            completed += 1
        }
        try queue.signalUsed(completed: completed, in: memory, interrupt: interrupt)
    }

    public func reset() {
        memory = nil
        queue = nil
        interrupt = nil
    }

    static func store<T: FixedWidthInteger>(_ value: T, in bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }
}
