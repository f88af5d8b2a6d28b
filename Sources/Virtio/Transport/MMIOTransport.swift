import LinuxSupport

/// The virtio-mmio transport, version 2 only (virtio 1.2 §4.2): the register file a guest driver sees in its
/// 4 KiB window, the device status state machine, and the queue configuration, in front of one `VirtioDevice`.
///
/// Thread-safe: vCPU threads call `read`/`write` on MMIO exits while the event-loop thread calls
/// `notify(queue:)` for ioeventfd kicks; one lock serialises them and every call into the device.
public final class MMIOTransport: @unchecked Sendable {
    public static let magicValue: UInt32 = 0x7472_6976  // "virt"
    public static let version: UInt32 = 2
    /// Linux reads VendorID but does not check it; we have no PCI vendor of our own.
    public static let vendorID: UInt32 = 0
    /// The size of the register window each device occupies.
    public static let windowSize = 0x1000
    /// Offset of QueueNotify inside the window, for registering an ioeventfd at `base + queueNotifyOffset`.
    public static let queueNotifyOffset: UInt64 = UInt64(MMIORegister.queueNotify)

    public let memory: GuestMemory
    public let interrupt: VirtioInterrupt
    /// How many queues the device has: the VMM registers one ioeventfd per queue at `queueNotifyOffset`
    /// with the queue index as datamatch, and calls `notify(queue:)` when it fires.
    public let queueCount: Int
    let device: any VirtioDevice
    let lock = ThreadLock()
    let reportFault: @Sendable (String) -> Void

    // Guarded by `lock`.
    var status: DeviceStatus = []
    var deviceFeaturesSelect: UInt32 = 0
    var driverFeaturesSelect: UInt32 = 0
    var driverFeatures: UInt64 = 0
    var queueSelect: UInt32 = 0
    var queues: [Virtqueue]
    var isActive = false

    /// `reportFault` hears about every guest or device misbehaviour the transport absorbed (one line each).
    public init(
        device: any VirtioDevice, memory: GuestMemory, interruptLine: any InterruptLine,
        reportFault: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.device = device
        self.memory = memory
        self.interrupt = VirtioInterrupt(line: interruptLine)
        self.reportFault = reportFault
        self.queues = device.queueMaxSizes.map { Virtqueue(maxSize: $0) }
        self.queueCount = queues.count
    }

    /// The device status as the driver last set it (plus DEVICE_NEEDS_RESET when the device failed).
    public var deviceStatus: DeviceStatus { lock.withLock { status } }

    /// Whether the device is running (DRIVER_OK accepted, activation succeeded, no reset since).
    public var isActivated: Bool { lock.withLock { isActive } }

    /// The features the driver accepted.
    public var negotiatedFeatures: UInt64 { lock.withLock { driverFeatures } }

    /// Runs `body` on the device, if it is a `D`, with the transport's lock held: the way to push work into a
    /// device from outside a notification (the event loop feeding console input). An error from `body` while
    /// the device is active is a device failure: it is reported and sets DEVICE_NEEDS_RESET; the result is nil.
    public func withDevice<D: VirtioDevice, R>(_ type: D.Type, _ body: (D) throws -> R) -> R? {
        lock.withLock {
            guard let typed = device as? D else { return nil }
            do {
                return try body(typed)
            } catch {
                if isActive { markNeedsReset("\(error)") } else { reportFault("\(error)") }
                return nil
            }
        }
    }

    /// The driver kicked queue `index` (a QueueNotify write, or its ioeventfd fired).
    public func notify(queue index: Int) {
        lock.withLock { notifyLocked(queue: index) }
    }

    func notifyLocked(queue index: Int) {
        guard isActive, !status.contains(.deviceNeedsReset) else { return }
        guard index >= 0, index < queues.count else {
            reportFault("notify of queue \(index), but the device has \(queues.count)")
            return
        }
        do {
            try device.processQueue(index)
        } catch {
            markNeedsReset("queue \(index): \(error)")
        }
    }

    /// The device cannot go on: tell the driver with DEVICE_NEEDS_RESET and a configuration interrupt.
    func markNeedsReset(_ reason: String) {
        reportFault("device needs reset: \(reason)")
        status.insert(.deviceNeedsReset)
        do {
            try interrupt.signalConfigurationChange()
        } catch {
            reportFault("raising the configuration interrupt failed: \(error)")
        }
    }

    /// Device reset (status 0 written): the device forgets its activation and every queue setting.
    func resetLocked() {
        if isActive { device.reset() }
        isActive = false
        status = []
        deviceFeaturesSelect = 0
        driverFeaturesSelect = 0
        driverFeatures = 0
        queueSelect = 0
        for index in queues.indices { queues[index].reset() }
        interrupt.clear()
    }
}
