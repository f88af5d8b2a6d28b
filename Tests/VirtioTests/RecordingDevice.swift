import Virtio

/// A device that records what the transport asks of it; its queue processing drains chains with length 0.
final class RecordingDevice: VirtioDevice {
    let deviceType: UInt32 = 42
    var deviceFeatures: UInt64 = VirtioFeatures.version1 | VirtioFeatures.ringEventIndex
        | VirtioFeatures.ringIndirectDescriptors | (1 << 3)
    let queueMaxSizes: [UInt16] = [16, 8]
    var config: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    var activations: [(queues: [Virtqueue], features: UInt64)] = []
    var processed: [Int] = []
    var resets = 0
    var failActivation = false
    var memory: GuestMemory?
    var queues: [Virtqueue] = []
    var chains: [DescriptorChain] = []
    var rejected: [VirtqueueError] = []

    func readConfig(offset: Int, count: Int) -> [UInt8] {
        guard offset < config.count else { return [] }
        return Array(config[offset..<min(config.count, offset + count)])
    }

    func writeConfig(offset: Int, bytes: [UInt8]) {
        for (index, byte) in bytes.enumerated() where offset + index < config.count { config[offset + index] = byte }
    }

    struct ActivationRefused: Error {}

    func activate(memory: GuestMemory, queues: [Virtqueue], features: UInt64, interrupt: VirtioInterrupt) throws {
        if failActivation { throw ActivationRefused() }
        activations.append((queues, features))
        self.memory = memory
        self.queues = queues
    }

    func processQueue(_ index: Int) throws {
        processed.append(index)
        guard let memory else { return }
        while let chain = try queues[index].popValidChain(from: memory, rejecting: { rejected.append($0) }) {
            chains.append(chain)
            try queues[index].addUsed(head: chain.head, length: 0, in: memory)
        }
    }

    func reset() {
        resets += 1
        memory = nil
        queues = []
    }
}
