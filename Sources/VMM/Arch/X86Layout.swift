/// Guest-physical addresses of everything the VMM places in an x86_64 guest (Firecracker's layout, which
/// the Linux 64-bit boot protocol accepts), plus the MMIO gap below 4 GiB where devices live.
public enum X86Layout {
    /// GDT and (empty) IDT used while entering the kernel in long mode.
    public static let gdtAddress: UInt64 = 0x500
    public static let idtAddress: UInt64 = 0x520
    /// The Linux "zero page" (`struct boot_params`), passed in RSI.
    public static let zeroPageAddress: UInt64 = 0x7000
    /// The initial stack pointer (the kernel switches stacks almost immediately).
    public static let bootStackPointer: UInt64 = 0x8ff0
    /// Identity page tables: PML4, PDPT, then `pageDirectoryCount` page directories of 2 MiB pages.
    public static let pml4Address: UInt64 = 0x9000
    public static let pdptAddress: UInt64 = 0xa000
    public static let pageDirectoryAddress: UInt64 = 0xb000
    public static let pageDirectoryCount = 4
    /// `struct setup_data` entries (the RNG seed), below the command line; the kernel reserves them.
    public static let setupDataAddress: UInt64 = 0x1f000
    /// The kernel command line (NUL-terminated).
    public static let commandLineAddress: UInt64 = 0x20000
    /// Start of the extended BIOS data area: RAM below it is usable; the MP table lives in its first KiB.
    public static let ebdaStart: UInt64 = 0x9fc00
    public static let mpTableAddress: UInt64 = 0x9fc00
    public static let mpTableLimit: UInt64 = 0xa0000
    /// Where protected-mode kernels and ELF segments are loaded from.
    public static let highMemoryStart: UInt64 = 0x100000
    /// The 32-bit MMIO gap: [mmioGapStart, 4 GiB) has no RAM; virtio-mmio windows, IOAPIC and LAPIC are there.
    public static let mmioGapStart: UInt64 = 0xd000_0000
    public static let fourGiB: UInt64 = 0x1_0000_0000
    public static let ioapicAddress: UInt64 = 0xfec0_0000
    public static let lapicAddress: UInt64 = 0xfee0_0000
    /// Three pages for KVM's real-mode TSS and one for the EPT identity map, inside the gap, away from devices.
    public static let tssAddress: UInt64 = 0xfffb_d000
    public static let identityMapAddress: UInt64 = 0xfffb_c000
    /// virtio-mmio device windows: `virtioMmioBase + i * virtioMmioWindowSize`, IRQ `firstVirtioIrq + i`.
    public static let virtioMmioBase: UInt64 = 0xd000_0000
    public static let virtioMmioWindowSize: UInt64 = 0x1000
    public static let firstVirtioIrq: UInt32 = 5
    /// IRQs 5...23 of the IOAPIC are free for virtio devices.
    public static let lastIrq: UInt32 = 23

    /// The guest RAM regions for `size` bytes of memory: below the MMIO gap, then the rest above 4 GiB.
    public static func ramRegions(size: UInt64) -> [(start: UInt64, size: UInt64)] {
        if size <= mmioGapStart { return [(0, size)] }
        return [(0, mmioGapStart), (fourGiB, size - mmioGapStart)]
    }
}
