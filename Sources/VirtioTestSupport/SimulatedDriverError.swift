/// Why the simulated driver gave up bringing a device up, as Linux's virtio_mmio probe would.
public enum SimulatedDriverError: Error, Equatable, CustomStringConvertible {
    case badMagic(UInt32)
    case unsupportedVersion(UInt32)
    case noDevice
    case featuresRefused(status: UInt32)
    case queueAlreadyReady(Int)
    case queueUnavailable(Int)
    case outOfGuestMemory

    public var description: String {
        switch self {
        case let .badMagic(value): return "wrong magic value 0x\(String(value, radix: 16))"
        case let .unsupportedVersion(value): return "device version \(value) not supported"
        case .noDevice: return "device ID 0: no device"
        case let .featuresRefused(status): return "device refused FEATURES_OK (status 0x\(String(status, radix: 16)))"
        case let .queueAlreadyReady(index): return "queue \(index) already set up"
        case let .queueUnavailable(index): return "queue \(index) has QueueNumMax 0"
        case .outOfGuestMemory: return "simulated driver ran out of guest memory"
        }
    }
}
