import CKVM
import Virtio

/// The vCPU state for entering a 64-bit Linux kernel directly (the 64-bit boot protocol as Firecracker uses
/// it): long mode with paging over the identity tables, flat segments from the boot GDT, RSI = zero page.
public enum LongModeBoot {
    static let cr0ProtectionEnable: UInt64 = 1 << 0
    static let cr0Paging: UInt64 = 1 << 31
    static let cr4PhysicalAddressExtension: UInt64 = 1 << 5
    static let eferLongModeEnable: UInt64 = 1 << 8
    static let eferLongModeActive: UInt64 = 1 << 10

    /// Writes the GDT, IDT and page tables the special registers below refer to.
    public static func writeTables(into memory: GuestMemory) throws {
        try memory.write(bytes: GdtEntry.bytes(of: GdtEntry.bootTable), at: X86Layout.gdtAddress)
        try memory.write(UInt64(0), at: X86Layout.idtAddress)
        try IdentityPageTables.write(into: memory)
    }

    /// Long-mode segments, descriptor tables, CR0/CR3/CR4 and EFER applied to `base` (KVM's reset state).
    public static func specialRegisters(from base: kvm_sregs) -> kvm_sregs {
        var sregs = base
        let table = GdtEntry.bootTable
        sregs.gdt.base = X86Layout.gdtAddress
        sregs.gdt.limit = UInt16(table.count * 8 - 1)
        sregs.idt.base = X86Layout.idtAddress
        sregs.idt.limit = 7
        let code = table[1].segment(selector: GdtEntry.codeSelector)
        let data = table[2].segment(selector: GdtEntry.dataSelector)
        sregs.cs = code
        sregs.ds = data
        sregs.es = data
        sregs.fs = data
        sregs.gs = data
        sregs.ss = data
        sregs.tr = table[3].segment(selector: GdtEntry.tssSelector)
        sregs.cr0 |= cr0ProtectionEnable | cr0Paging
        sregs.cr3 = X86Layout.pml4Address
        sregs.cr4 |= cr4PhysicalAddressExtension
        sregs.efer |= eferLongModeEnable | eferLongModeActive
        return sregs
    }

    /// RIP at the kernel entry, the boot stack, RSI pointing at the zero page, interrupts off.
    public static func registers(entry: UInt64) -> kvm_regs {
        var regs = kvm_regs()
        regs.rflags = 0x2
        regs.rip = entry
        regs.rsp = X86Layout.bootStackPointer
        regs.rbp = X86Layout.bootStackPointer
        regs.rsi = X86Layout.zeroPageAddress
        return regs
    }

    /// x87 control word and MXCSR at their power-on defaults (all exceptions masked).
    public static func fpu() -> kvm_fpu {
        var fpu = kvm_fpu()
        fpu.fcw = 0x37f
        fpu.mxcsr = 0x1f80
        return fpu
    }

    /// MSRs at boot: SYSENTER/SYSCALL targets cleared, TSC 0, fast strings on, MTRRs enabled with
    /// write-back as the default memory type.
    public static let bootMsrs: [MsrEntry] = [
        MsrEntry(index: 0x174, value: 0),          // IA32_SYSENTER_CS
        MsrEntry(index: 0x175, value: 0),          // IA32_SYSENTER_ESP
        MsrEntry(index: 0x176, value: 0),          // IA32_SYSENTER_EIP
        MsrEntry(index: 0xc000_0081, value: 0),    // STAR
        MsrEntry(index: 0xc000_0083, value: 0),    // CSTAR
        MsrEntry(index: 0xc000_0102, value: 0),    // KERNEL_GS_BASE
        MsrEntry(index: 0xc000_0084, value: 0),    // SYSCALL_MASK
        MsrEntry(index: 0xc000_0082, value: 0),    // LSTAR
        MsrEntry(index: 0x10, value: 0),           // IA32_TSC
        MsrEntry(index: 0x1a0, value: 1),          // IA32_MISC_ENABLE: fast string operations
        MsrEntry(index: 0x2ff, value: (1 << 11) | 6),  // MTRRdefType: enabled, write-back
    ]

    static let lvt0Offset = 0x350
    static let lvt1Offset = 0x360
    static let deliveryModeExtInt: UInt32 = 7
    static let deliveryModeNmi: UInt32 = 4

    /// The LAPIC with LINT0 delivering ExtINT (the PIC) and LINT1 delivering NMI, as a PC BIOS leaves it.
    public static func lapic(from registers: [UInt8]) -> [UInt8] {
        var regs = registers
        func setDeliveryMode(_ offset: Int, _ mode: UInt32) {
            let value = regs.loadLE(UInt32.self, at: offset)
            regs.storeLE((value & ~0x700) | (mode << 8), at: offset)
        }
        setDeliveryMode(lvt0Offset, deliveryModeExtInt)
        setDeliveryMode(lvt1Offset, deliveryModeNmi)
        return regs
    }
}
