/// virtio-console (virtio 1.2 §5.3) with a single port: the guest's hvc0. Guest output (transmitq) is written
/// to a `ConsoleOutput`; host input is pushed by the event loop with `enqueueInput(_:)` and copied into the
/// buffers the guest posts on the receiveq. Input waiting for buffers is held up to `inputLimit` bytes.
public final class ConsoleDevice: VirtioDevice {
    public let output: ConsoleOutput
    public let deviceType = VirtioDeviceType.console
    public let queueMaxSizes: [UInt16]
    public let deviceFeatures = VirtioFeatures.version1 | VirtioFeatures.ringIndirectDescriptors
        | VirtioFeatures.ringEventIndex
    /// The most input bytes held while the guest has no receive buffers.
    public let inputLimit: Int
    let reportFault: (String) -> Void

    private var pendingInput: [UInt8] = []
    private var memory: GuestMemory?
    private var queues: [Virtqueue] = []
    private var interrupt: VirtioInterrupt?

    public init(
        output: ConsoleOutput, queueSize: UInt16 = 256, inputLimit: Int = 1 << 20,
        reportFault: @escaping (String) -> Void = { _ in }
    ) {
        self.output = output
        self.queueMaxSizes = [queueSize, queueSize]
        self.inputLimit = inputLimit
        self.reportFault = reportFault
    }

    /// Input bytes not yet delivered to the guest.
    public var pendingInputCount: Int { pendingInput.count }

    /// Queues host input for the guest and delivers what fits into posted receive buffers. Call it through
    /// `MMIOTransport.withDevice(ConsoleDevice.self) { try $0.enqueueInput(bytes) }` so it runs under the
    /// transport's lock (and a ring fault it meets sets DEVICE_NEEDS_RESET). Returns how many of
    /// `bytes` were accepted (fewer than given when `inputLimit` is reached: the caller should stop reading its
    /// source until `pendingInputCount` drops).
    @discardableResult
    public func enqueueInput<Bytes: Collection>(_ bytes: Bytes) throws -> Int where Bytes.Element == UInt8 {
        let accepted = min(bytes.count, inputLimit - pendingInput.count)
        pendingInput += bytes.prefix(accepted)
        try deliverInput()
        return accepted
    }

    public func readConfig(offset: Int, count: Int) -> [UInt8] {
        guard offset >= 0, offset < VirtioConsole.configLength, count > 0 else { return [] }
        return [UInt8](repeating: 0, count: min(count, VirtioConsole.configLength - offset))
    }

    public func writeConfig(offset: Int, bytes: [UInt8]) {
        reportFault("virtio-console: write to read-only config offset \(offset) ignored")
    }

    public func activate(memory: GuestMemory, queues: [Virtqueue], features: UInt64, interrupt: VirtioInterrupt) throws {
        self.memory = memory
        self.queues = queues
        self.interrupt = interrupt
        try deliverInput()
    }

    public func processQueue(_ index: Int) throws {
        switch index {
        case VirtioConsole.receiveQueue: try deliverInput()
        case VirtioConsole.transmitQueue: try transmit()
        default: reportFault("virtio-console: notify of queue \(index)")
        }
    }

    public func reset() {
        memory = nil
        queues = []
        interrupt = nil
    }

    /// Copies pending input into receive buffers, one chain at a time, while both last.
    private func deliverInput() throws {
        let index = VirtioConsole.receiveQueue
        guard let memory, index < queues.count, queues[index].isReady, !pendingInput.isEmpty else { return }
        var delivered = 0
        while !pendingInput.isEmpty,
              let chain = try queues[index].popValidChain(from: memory, rejecting: { reportFault("virtio-console rx: \($0)") }) {
            let written = try chain.writeWritable(pendingInput, to: memory)
            pendingInput.removeFirst(written)
            if written == 0 { reportFault("virtio-console rx: chain \(chain.head) has no writable buffer") }
            try queues[index].addUsed(head: chain.head, length: UInt32(written), in: memory)
            delivered += 1
        }
        try notifyIfNeeded(queue: index, completed: delivered)
    }

    /// Writes every posted transmit chain's readable bytes to the output.
    private func transmit() throws {
        let index = VirtioConsole.transmitQueue
        guard let memory, index < queues.count, queues[index].isReady else { return }
        var completed = 0
        while let chain = try queues[index].popValidChain(from: memory, rejecting: { reportFault("virtio-console tx: \($0)") }) {
            for buffer in chain.readable {
                do {
                    try output.write(from: buffer, of: memory)
                } catch {
                    reportFault("virtio-console tx: \(error)")
                    break
                }
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
