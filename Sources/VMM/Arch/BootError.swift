/// Why a guest could not be laid out for boot. Each case names the file or field at fault.
public enum BootError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidKernel(path: String, reason: String)
    case commandLineTooLong(length: Int, limit: Int)
    case commandLineHasNul
    case initrdDoesNotFit(path: String, size: Int, reason: String)
    case tooManyVcpus(count: Int, limit: Int)
    case tooManyMemoryMapEntries(Int)
    case tooManyDevices(count: Int, limit: Int)
    case invalidMemorySize(UInt64)
    case randomSeedUnavailable

    public var description: String {
        switch self {
        case let .invalidKernel(path, reason): return "kernel \(path): \(reason)"
        case let .commandLineTooLong(length, limit):
            return "kernel command line is \(length) bytes, the kernel accepts at most \(limit)"
        case .commandLineHasNul: return "kernel command line contains a NUL byte"
        case let .initrdDoesNotFit(path, size, reason): return "initrd \(path) (\(size) bytes): \(reason)"
        case let .tooManyVcpus(count, limit): return "\(count) vCPUs requested, the MP table holds at most \(limit)"
        case let .invalidMemorySize(size):
            return "guest memory size \(size) bytes is not a whole number of 4 KiB pages between 2 MiB and 1 TiB"
        case let .tooManyDevices(count, limit): return "\(count) virtio devices requested, at most \(limit) have an IRQ"
        case .randomSeedUnavailable: return "/dev/urandom: cannot read a random seed for the guest"
        case let .tooManyMemoryMapEntries(count): return "\(count) e820 entries exceed the zero page's 128"
        }
    }
}
