import Synchronization

/// The interrupt side of a virtio-mmio device: the InterruptStatus bits the driver reads and acknowledges,
/// the configuration generation counter, and the line that raises the guest interrupt.
/// Lock-free, so a device may signal while the transport's register lock is held (from `processQueue`)
/// or from the event-loop thread (console input) without deadlocking.
public final class VirtioInterrupt: Sendable {
    /// InterruptStatus bit 0: the device used buffers in at least one virtqueue.
    public static let usedBufferBit: UInt32 = 1
    /// InterruptStatus bit 1: the device's configuration changed.
    public static let configurationChangeBit: UInt32 = 2

    public let line: any InterruptLine
    private let status = Atomic<UInt32>(0)
    private let generation = Atomic<UInt32>(0)

    public init(line: any InterruptLine) {
        self.line = line
    }

    /// The InterruptStatus register.
    public var pendingStatus: UInt32 { status.load(ordering: .sequentiallyConsistent) }

    /// The ConfigGeneration register.
    public var configurationGeneration: UInt32 { generation.load(ordering: .sequentiallyConsistent) }

    /// Tells the driver that buffers were used (call after `Virtqueue.needsNotification` said so).
    public func signalUsedBuffers() throws {
        status.bitwiseOr(Self.usedBufferBit, ordering: .sequentiallyConsistent)
        try line.trigger()
    }

    /// Bumps the configuration generation and tells the driver to re-read the configuration space.
    public func signalConfigurationChange() throws {
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        status.bitwiseOr(Self.configurationChangeBit, ordering: .sequentiallyConsistent)
        try line.trigger()
    }

    /// InterruptACK: clears the bits the driver handled.
    func acknowledge(_ bits: UInt32) {
        status.bitwiseAnd(~bits, ordering: .sequentiallyConsistent)
    }

    /// Device reset: no interrupt is pending afterwards.
    func clear() {
        status.store(0, ordering: .sequentiallyConsistent)
    }
}
