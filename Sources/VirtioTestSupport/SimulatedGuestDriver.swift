import Virtio

/// A guest-side virtio driver for tests: it lays out split rings in `GuestMemory`, brings a device up through
/// the MMIO registers in the order Linux's virtio_mmio driver does, posts chains (well-formed or hostile),
/// notifies, and collects used entries.
public final class SimulatedGuestDriver {
    public let transport: MMIOTransport
    public let memory: GuestMemory
    public internal(set) var queues: [Int: SimulatedQueue] = [:]
    private var nextFree: UInt64
    private let limit: UInt64

    /// Rings and buffers are carved from `[arenaStart, arenaEnd)` of guest memory.
    public init(transport: MMIOTransport, arenaStart: UInt64 = 0x1000, arenaEnd: UInt64? = nil) {
        self.transport = transport
        self.memory = transport.memory
        self.nextFree = arenaStart
        self.limit = arenaEnd ?? UInt64(transport.memory.totalSize)
    }

    /// Reserves `length` bytes of guest memory (zeroed) for a ring or buffer.
    public func allocate(_ length: Int, alignment: UInt64 = 16) throws -> UInt64 {
        let start = (nextFree + alignment - 1) / alignment * alignment
        guard start + UInt64(length) <= limit else { throw SimulatedDriverError.outOfGuestMemory }
        nextFree = start + UInt64(length)
        try memory.zero(at: start, count: length)
        return start
    }

    /// The allocation point, to hand buffers back later with `release(to:)`.
    public var arenaMark: UInt64 { nextFree }

    /// Frees everything allocated after `mark` (buffers of requests the device has completed).
    public func release(to mark: UInt64) {
        precondition(mark <= nextFree, "release beyond the allocation point")
        nextFree = mark
    }

    // MARK: Bring-up, in virtio_mmio probe order

    /// Everything up to and including FEATURES_OK: magic and version check, reset, ACKNOWLEDGE, DRIVER,
    /// feature negotiation (`accept` picks from the offer). Returns the accepted features.
    @discardableResult
    public func negotiate(accept: (UInt64) -> UInt64 = { $0 }) throws -> UInt64 {
        let magic = transport.readRegister(MMIORegister.magicValue)
        guard magic == MMIOTransport.magicValue else { throw SimulatedDriverError.badMagic(magic) }
        let version = transport.readRegister(MMIORegister.version)
        guard version == 2 else { throw SimulatedDriverError.unsupportedVersion(version) }
        guard transport.readRegister(MMIORegister.deviceID) != 0 else { throw SimulatedDriverError.noDevice }
        _ = transport.readRegister(MMIORegister.vendorID)
        writeStatus(0)
        writeStatus(DeviceStatus.acknowledge.rawValue)
        writeStatus(DeviceStatus([.acknowledge, .driver]).rawValue)
        transport.writeRegister(MMIORegister.deviceFeaturesSelect, 1)
        var offered = UInt64(transport.readRegister(MMIORegister.deviceFeatures)) << 32
        transport.writeRegister(MMIORegister.deviceFeaturesSelect, 0)
        offered |= UInt64(transport.readRegister(MMIORegister.deviceFeatures))
        let accepted = accept(offered)
        transport.writeRegister(MMIORegister.driverFeaturesSelect, 1)
        transport.writeRegister(MMIORegister.driverFeatures, UInt32(truncatingIfNeeded: accepted >> 32))
        transport.writeRegister(MMIORegister.driverFeaturesSelect, 0)
        transport.writeRegister(MMIORegister.driverFeatures, UInt32(truncatingIfNeeded: accepted))
        writeStatus(DeviceStatus([.acknowledge, .driver, .featuresOK]).rawValue)
        let status = transport.readRegister(MMIORegister.status)
        guard DeviceStatus(rawValue: status).contains(.featuresOK) else {
            throw SimulatedDriverError.featuresRefused(status: status)
        }
        return accepted
    }

    /// Sets up queue `index` with `size` entries (at most QueueNumMax), as vm_setup_vq does.
    @discardableResult
    public func setUpQueue(_ index: Int, size requested: UInt16? = nil) throws -> SimulatedQueue {
        transport.writeRegister(MMIORegister.queueSelect, UInt32(index))
        guard transport.readRegister(MMIORegister.queueReady) == 0 else {
            throw SimulatedDriverError.queueAlreadyReady(index)
        }
        let maximum = UInt16(truncatingIfNeeded: transport.readRegister(MMIORegister.queueNumMax))
        guard maximum > 0 else { throw SimulatedDriverError.queueUnavailable(index) }
        let size = min(requested ?? maximum, maximum)
        let queue = SimulatedQueue(
            size: size,
            descriptorTable: try allocate(16 * Int(size), alignment: 16),
            availableRing: try allocate(6 + 2 * Int(size), alignment: 2),
            usedRing: try allocate(6 + 8 * Int(size), alignment: 4))
        configureQueue(index, size: size, descriptorTable: queue.descriptorTable,
                       availableRing: queue.availableRing, usedRing: queue.usedRing)
        queues[index] = queue
        return queue
    }

    /// Writes raw queue registers (for hostile layouts: misaligned or out-of-RAM rings, odd sizes).
    public func configureQueue(
        _ index: Int, size: UInt16, descriptorTable: UInt64, availableRing: UInt64, usedRing: UInt64, ready: Bool = true
    ) {
        transport.writeRegister(MMIORegister.queueSelect, UInt32(index))
        transport.writeRegister(MMIORegister.queueNum, UInt32(size))
        for (low, address) in [(MMIORegister.queueDescriptorLow, descriptorTable),
                               (MMIORegister.queueDriverLow, availableRing),
                               (MMIORegister.queueDeviceLow, usedRing)] {
            transport.writeRegister(low, UInt32(truncatingIfNeeded: address))
            transport.writeRegister(low + 4, UInt32(truncatingIfNeeded: address >> 32))
        }
        if ready { transport.writeRegister(MMIORegister.queueReady, 1) }
    }

    /// Sets DRIVER_OK.
    public func finish() {
        let status = DeviceStatus(rawValue: transport.readRegister(MMIORegister.status))
        writeStatus(status.union(.driverOK).subtracting(.deviceNeedsReset).rawValue)
    }

    /// negotiate + set up every queue the device has + DRIVER_OK.
    @discardableResult
    public func initialize(accept: (UInt64) -> UInt64 = { $0 }, queueSize: UInt16? = nil) throws -> UInt64 {
        let accepted = try negotiate(accept: accept)
        var index = 0
        while true {
            transport.writeRegister(MMIORegister.queueSelect, UInt32(index))
            guard transport.readRegister(MMIORegister.queueNumMax) > 0 else { break }
            try setUpQueue(index, size: queueSize)
            index += 1
        }
        finish()
        return accepted
    }

    public func writeStatus(_ value: UInt32) {
        transport.writeRegister(MMIORegister.status, value)
    }

    public var status: DeviceStatus { DeviceStatus(rawValue: transport.readRegister(MMIORegister.status)) }
}
