/// Why `KVM_RUN` returned, decoded from `kvm_run` into values (no pointers escape).
public enum VcpuExit: Equatable, Sendable {
    /// `IN` from `port` of `size` bytes, `count` times (string I/O); answer with `Vcpu.completeIoIn`.
    case ioIn(port: UInt16, size: Int, count: Int)
    /// `OUT` to `port`; `data` holds `size * count` bytes.
    case ioOut(port: UInt16, size: Int, data: [UInt8])
    /// A load from an address without RAM; answer with `Vcpu.completeMmioRead` before the next run.
    case mmioRead(address: UInt64, size: Int)
    case mmioWrite(address: UInt64, data: [UInt8])
    case halt
    /// Triple fault (or another shutdown condition).
    case shutdown
    case systemEvent(type: UInt32, flags: UInt64)
    /// KVM could not handle something, e.g. emulation failed (suberror 1); `data` is the diagnostic words.
    case internalError(suberror: UInt32, data: [UInt64])
    case failEntry(hardwareReason: UInt64, cpu: UInt32)
    /// `KVM_RUN` was interrupted by a signal or `immediate_exit` before or while running the guest.
    case interrupted
    case exception(number: UInt32, errorCode: UInt32)
    case unknown(hardwareReason: UInt64)
    /// An exit reason this VMM does not decode.
    case unhandled(reason: UInt32)

    /// Text for logs and error messages.
    public var summary: String {
        switch self {
        case let .ioIn(port, size, count): return "io in port 0x\(String(port, radix: 16)) size \(size) count \(count)"
        case let .ioOut(port, size, data): return "io out port 0x\(String(port, radix: 16)) size \(size) (\(data.count) bytes)"
        case let .mmioRead(address, size): return "mmio read 0x\(String(address, radix: 16)) size \(size)"
        case let .mmioWrite(address, data): return "mmio write 0x\(String(address, radix: 16)) size \(data.count)"
        case .halt: return "hlt"
        case .shutdown: return "shutdown (triple fault)"
        case let .systemEvent(type, flags): return "system event type \(type) flags 0x\(String(flags, radix: 16))"
        case let .internalError(suberror, data):
            return "internal error suberror \(suberror) data [\(data.map { "0x" + String($0, radix: 16) }.joined(separator: ", "))]"
        case let .failEntry(reason, cpu): return "entry failed: hardware reason 0x\(String(reason, radix: 16)) on cpu \(cpu)"
        case .interrupted: return "interrupted"
        case let .exception(number, errorCode): return "exception \(number) error code \(errorCode)"
        case let .unknown(reason): return "unknown exit, hardware reason 0x\(String(reason, radix: 16))"
        case let .unhandled(reason): return "unhandled exit reason \(reason)"
        }
    }
}
