import CKVM
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// The `kvm_run` area a vCPU shares with KVM, owned (mapped from the vCPU fd, or allocated for tests) and
/// accessed only through bounds-checked decoding: the I/O data offset and sizes reported in it are checked
/// against the mapping before any byte is read or written.
final class KvmRunMapping {
    let raw: UnsafeMutableRawPointer
    let size: Int
    private let mapped: Bool

    init(vcpuFd: Int32, size: Int) throws {
        guard size >= MemoryLayout<kvm_run>.size else { throw KvmError.runMappingTooSmall(size) }
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpuFd, 0), p != MAP_FAILED else {
            throw SystemError.current("mmap", path: "kvm_run")
        }
        raw = p
        self.size = size
        mapped = true
    }

    /// A zeroed heap buffer laid out like `kvm_run`, for decoding tests without KVM.
    init(anonymousSize size: Int) {
        precondition(size >= MemoryLayout<kvm_run>.size)
        raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        self.size = size
        mapped = false
    }

    deinit {
        if mapped { munmap(raw, size) } else { raw.deallocate() }
    }

    var run: kvm_run {
        get { raw.load(as: kvm_run.self) }
        set { raw.storeBytes(of: newValue, as: kvm_run.self) }
    }

    var immediateExit: Bool {
        get { raw.load(fromByteOffset: Int(CKVM_RUN_IMMEDIATE_EXIT_OFFSET), as: UInt8.self) != 0 }
        set { raw.storeBytes(of: UInt8(newValue ? 1 : 0), toByteOffset: Int(CKVM_RUN_IMMEDIATE_EXIT_OFFSET), as: UInt8.self) }
    }

    /// Decodes the exit KVM just reported.
    func decodeExit() throws -> VcpuExit {
        let r = run
        switch Int32(r.exit_reason) {
        case KVM_EXIT_IO:
            let io = r.io
            let size = Int(io.size), count = Int(io.count)
            guard [1, 2, 4].contains(size), count >= 1 else {
                throw KvmError.malformedExit("io exit with size \(size) count \(count)")
            }
            if Int32(io.direction) == KVM_EXIT_IO_OUT {
                return .ioOut(port: io.port, size: size, data: try ioBytes(offset: io.data_offset, length: size * count))
            }
            _ = try ioRange(offset: io.data_offset, length: size * count)
            return .ioIn(port: io.port, size: size, count: count)
        case KVM_EXIT_MMIO:
            let mmio = r.mmio
            let length = Int(mmio.len)
            guard length >= 1 && length <= 8 else { throw KvmError.malformedExit("mmio exit with length \(length)") }
            if mmio.is_write != 0 {
                let data = withUnsafeBytes(of: mmio.data) { Array($0.prefix(length)) }
                return .mmioWrite(address: mmio.phys_addr, data: data)
            }
            return .mmioRead(address: mmio.phys_addr, size: length)
        case KVM_EXIT_HLT: return .halt
        case KVM_EXIT_SHUTDOWN: return .shutdown
        case KVM_EXIT_INTR: return .interrupted
        case KVM_EXIT_SYSTEM_EVENT:
            let event = r.system_event
            return .systemEvent(type: event.type, flags: event.flags)
        case KVM_EXIT_INTERNAL_ERROR:
            let failure = r.`internal`
            let words = withUnsafeBytes(of: failure.data) { Array($0.bindMemory(to: UInt64.self)) }
            return .internalError(suberror: failure.suberror, data: Array(words.prefix(Int(min(failure.ndata, 16)))))
        case KVM_EXIT_FAIL_ENTRY:
            return .failEntry(hardwareReason: r.fail_entry.hardware_entry_failure_reason, cpu: r.fail_entry.cpu)
        case KVM_EXIT_EXCEPTION:
            return .exception(number: r.ex.exception, errorCode: r.ex.error_code)
        case KVM_EXIT_UNKNOWN:
            return .unknown(hardwareReason: r.hw.hardware_exit_reason)
        default:
            return .unhandled(reason: r.exit_reason)
        }
    }

    /// Writes the answer to an `IN` exit; `bytes` must be exactly `size * count` of that exit.
    func completeIoIn(_ bytes: [UInt8]) throws {
        let io = run.io
        let expected = Int(io.size) * Int(io.count)
        guard Int32(run.exit_reason) == KVM_EXIT_IO, Int32(io.direction) == KVM_EXIT_IO_IN, bytes.count == expected else {
            throw KvmError.malformedExit("io-in completion of \(bytes.count) bytes does not match the pending exit")
        }
        let start = try ioRange(offset: io.data_offset, length: expected)
        bytes.withUnsafeBytes { (raw + start).copyMemory(from: $0.baseAddress!, byteCount: expected) }
    }

    /// Writes the answer to an MMIO read exit; `bytes` must match the access length.
    func completeMmioRead(_ bytes: [UInt8]) throws {
        let r = run
        guard Int32(r.exit_reason) == KVM_EXIT_MMIO, r.mmio.is_write == 0, bytes.count == Int(r.mmio.len) else {
            throw KvmError.malformedExit("mmio-read completion of \(bytes.count) bytes does not match the pending exit")
        }
        for (i, b) in bytes.enumerated() {
            raw.storeBytes(of: b, toByteOffset: Int(CKVM_RUN_MMIO_DATA_OFFSET) + i, as: UInt8.self)
        }
    }

    private func ioRange(offset: UInt64, length: Int) throws -> Int {
        guard offset >= UInt64(MemoryLayout<kvm_run>.size), offset <= UInt64(size), UInt64(length) <= UInt64(size) - offset else {
            throw KvmError.malformedExit("io data at offset \(offset) length \(length) lies outside the \(size)-byte kvm_run mapping")
        }
        return Int(offset)
    }

    private func ioBytes(offset: UInt64, length: Int) throws -> [UInt8] {
        let start = try ioRange(offset: offset, length: length)
        return Array(UnsafeRawBufferPointer(start: raw + start, count: length))
    }
}
