import CKVM
import Virtio
import XCTest
@testable import VMM

/// Opens /dev/kvm for tests that run real guests, or skips them with the reason.
func openKvmOrSkip() throws -> Kvm {
    do {
        return try Kvm()
    } catch {
        throw XCTSkip("needs a usable /dev/kvm (root and KVM): \(error)")
    }
}

/// A one-vCPU VM with `memorySize` bytes of RAM at 0 and `code` at `codeAddress`, in real mode with CS = 0.
struct RealModeGuest {
    let vm: VirtualMachine
    let memory: GuestMemory
    let vcpu: Vcpu

    init(kvm: Kvm, code: [UInt8], codeAddress: UInt64 = 0x1000, memorySize: Int = 0x10000) throws {
        vm = try kvm.createVirtualMachine()
        memory = try GuestMemory(size: memorySize)
        try memory.write(bytes: code, at: codeAddress)
        try vm.register(memory: memory)
        vcpu = try vm.createVcpu(index: 0)
        var sregs = try vcpu.specialRegisters()
        sregs.cs.base = 0
        sregs.cs.selector = 0
        sregs.ds.base = 0
        sregs.ds.selector = 0
        try vcpu.setSpecialRegisters(sregs)
        var regs = kvm_regs()
        regs.rip = codeAddress
        regs.rflags = 0x2
        try vcpu.setRegisters(regs)
    }

    /// Runs until an exit other than `.interrupted`.
    func next() throws -> VcpuExit {
        while true {
            let exit = try vcpu.run()
            if exit != .interrupted { return exit }
        }
    }
}
