/// A virtio device behind a transport (virtio 1.2 §5). The transport owns the register file and the
/// bring-up state machine; the device sees only guest memory, its queues and an interrupt.
///
/// Threading: the transport calls every method with its lock held, so a device needs no lock of its own
/// for state it touches only from these methods. Work pushed from elsewhere (console input) goes through
/// `MMIOTransport.withDevice(_:_:)`, which takes the same lock.
public protocol VirtioDevice: AnyObject {
    /// The virtio device ID (`VirtioDeviceType`).
    var deviceType: UInt32 { get }
    /// Every feature the device offers, including `VirtioFeatures.version1`.
    var deviceFeatures: UInt64 { get }
    /// The largest size of each queue; the count is the number of queues.
    var queueMaxSizes: [UInt16] { get }

    /// Device-specific configuration bytes at `offset` (relative to config space). Reads past the end give
    /// what exists (possibly nothing); the transport pads with zeros.
    func readConfig(offset: Int, count: Int) -> [UInt8]
    /// A driver write into configuration space; devices ignore writes to fields that are read-only.
    func writeConfig(offset: Int, bytes: [UInt8])

    /// Called when the driver sets DRIVER_OK. `queues` are validated and carry the negotiated ring features;
    /// `features` is what the driver accepted. Throwing leaves the device inactive with DEVICE_NEEDS_RESET.
    func activate(memory: GuestMemory, queues: [Virtqueue], features: UInt64, interrupt: VirtioInterrupt) throws
    /// The driver notified queue `index`. Malformed chains are handled inside (failed requests);
    /// throwing means the device cannot go on (ring fault, broken backend): the transport sets NEEDS_RESET.
    func processQueue(_ index: Int) throws
    /// Device reset: drop queues and memory, forget the activation.
    func reset()
}
