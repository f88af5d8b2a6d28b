import CKVM
import CLinux
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// One virtual CPU: owns its file descriptor and its `kvm_run` mapping. Meant to be driven by one thread;
/// `requestExit()` may be called from any thread (followed by a signal to the running thread).
public final class Vcpu: @unchecked Sendable {
    public let index: Int
    let fd: Int32
    let runMapping: KvmRunMapping
    private let path: String

    init(fd: Int32, index: Int, run: KvmRunMapping) {
        self.fd = fd
        self.index = index
        self.runMapping = run
        self.path = "vcpu\(index)"
    }

    deinit { close(fd) }

    /// Enters the guest until the next exit and decodes it. A signal or `requestExit()` yields `.interrupted`.
    public func run() throws -> VcpuExit {
        let result = clinux_ioctl_val(fd, CKVM_RUN, 0)
        if result < 0 {
            let error = errno
            if error == EINTR || error == EAGAIN {
                runMapping.immediateExit = false
                return .interrupted
            }
            throw SystemError(errno: error, operation: "KVM_RUN", path: path)
        }
        return try runMapping.decodeExit()
    }

    /// Makes the current or next `run()` return `.interrupted` as soon as possible.
    public func requestExit() { runMapping.immediateExit = true }

    /// Supplies the bytes of a pending `.ioIn` exit (size × count bytes).
    public func completeIoIn(_ bytes: [UInt8]) throws { try runMapping.completeIoIn(bytes) }

    /// Supplies the bytes of a pending `.mmioRead` exit.
    public func completeMmioRead(_ bytes: [UInt8]) throws { try runMapping.completeMmioRead(bytes) }

    public func registers() throws -> kvm_regs {
        var regs = kvm_regs()
        try KvmIoctl.call(fd, CKVM_GET_REGS, "KVM_GET_REGS", on: path, pointer: &regs)
        return regs
    }

    public func setRegisters(_ regs: kvm_regs) throws {
        var value = regs
        try KvmIoctl.call(fd, CKVM_SET_REGS, "KVM_SET_REGS", on: path, pointer: &value)
    }

    public func specialRegisters() throws -> kvm_sregs {
        var sregs = kvm_sregs()
        try KvmIoctl.call(fd, CKVM_GET_SREGS, "KVM_GET_SREGS", on: path, pointer: &sregs)
        return sregs
    }

    public func setSpecialRegisters(_ sregs: kvm_sregs) throws {
        var value = sregs
        try KvmIoctl.call(fd, CKVM_SET_SREGS, "KVM_SET_SREGS", on: path, pointer: &value)
    }

    public func setFpu(_ fpu: kvm_fpu) throws {
        var value = fpu
        try KvmIoctl.call(fd, CKVM_SET_FPU, "KVM_SET_FPU", on: path, pointer: &value)
    }

    public func setCpuid(_ entries: [CpuidEntry]) throws {
        let list = try KvmEntryList<kvm_cpuid_entry2>(cpuid: entries)
        try KvmIoctl.call(fd, CKVM_SET_CPUID2, "KVM_SET_CPUID2", on: path, buffer: list.raw)
    }

    /// Sets the MSRs; fails naming the first MSR KVM refused.
    public func setMsrs(_ entries: [MsrEntry]) throws {
        let list = try KvmEntryList<kvm_msr_entry>(msrs: entries)
        let written = Int(try KvmIoctl.call(fd, CKVM_SET_MSRS, "KVM_SET_MSRS", on: path, buffer: list.raw))
        if written < entries.count {
            throw SystemError(errno: EINVAL, operation: "KVM_SET_MSRS (MSR 0x\(String(entries[written].index, radix: 16)))",
                              path: path)
        }
    }

    public func msrs(_ indices: [UInt32]) throws -> [MsrEntry] {
        let list = try KvmEntryList<kvm_msr_entry>(msrs: indices.map { MsrEntry(index: $0, value: 0) })
        let read = Int(try KvmIoctl.call(fd, CKVM_GET_MSRS, "KVM_GET_MSRS", on: path, buffer: list.raw))
        return Array(list.msrEntries.prefix(read))
    }

    /// The local APIC's 1 KiB register page.
    public func lapic() throws -> [UInt8] {
        var state = kvm_lapic_state()
        try KvmIoctl.call(fd, CKVM_GET_LAPIC, "KVM_GET_LAPIC", on: path, pointer: &state)
        return withUnsafeBytes(of: state.regs) { Array($0) }
    }

    public func setLapic(_ registers: [UInt8]) throws {
        var state = kvm_lapic_state()
        withUnsafeMutableBytes(of: &state.regs) { buffer in
            precondition(registers.count == buffer.count, "LAPIC state is \(buffer.count) bytes")
            buffer.copyBytes(from: registers)
        }
        try KvmIoctl.call(fd, CKVM_SET_LAPIC, "KVM_SET_LAPIC", on: path, pointer: &state)
    }
}
