/// The Intel MultiProcessor Specification 1.4 tables that tell an ACPI-less Linux about the vCPUs, the
/// IOAPIC and how ISA IRQs reach it: a floating pointer structure followed by the configuration table,
/// placed in the first KiB of the EBDA where Linux scans for "_MP_".
public enum MpTable {
    static let floatingPointerSize = 16
    static let headerSize = 44
    static let processorEntrySize = 20
    static let shortEntrySize = 8
    static let specRevision: UInt8 = 4
    static let lapicVersion: UInt8 = 0x14
    static let ioapicVersion: UInt8 = 0x11
    static let interruptCount = 24

    /// The most vCPUs whose entries still fit below 0xa0000.
    public static var maximumVcpus: Int {
        let fixed = floatingPointerSize + headerSize + shortEntrySize * (2 + interruptCount + 2)
        return (Int(X86Layout.mpTableLimit - X86Layout.mpTableAddress) - fixed) / processorEntrySize
    }

    /// The IOAPIC's ID follows the vCPUs' APIC IDs.
    public static func ioapicId(vcpuCount: Int) -> UInt8 { UInt8(vcpuCount + 1) }

    /// The bytes to write at `X86Layout.mpTableAddress`.
    public static func bytes(vcpuCount: Int) throws -> [UInt8] {
        guard vcpuCount >= 1, vcpuCount <= maximumVcpus else {
            throw BootError.tooManyVcpus(count: vcpuCount, limit: maximumVcpus)
        }
        let ioapic = ioapicId(vcpuCount: vcpuCount)
        var entries: [[UInt8]] = []
        for cpu in 0..<vcpuCount {
            var e = [UInt8](repeating: 0, count: processorEntrySize)
            e[0] = 0  // processor
            e[1] = UInt8(cpu)
            e[2] = lapicVersion
            e[3] = 0x01 | (cpu == 0 ? 0x02 : 0)  // enabled, bootstrap processor
            e.storeLE(UInt32(0x600), at: 4)  // signature: family 6
            e.storeLE(UInt32(0x201), at: 8)  // features: FPU, APIC
            entries.append(e)
        }
        entries.append([1, 0] + Array("ISA   ".utf8))  // bus 0 is ISA
        var ioapicEntry = [UInt8](repeating: 0, count: shortEntrySize)
        ioapicEntry[0] = 2
        ioapicEntry[1] = ioapic
        ioapicEntry[2] = ioapicVersion
        ioapicEntry[3] = 1  // enabled
        ioapicEntry.storeLE(UInt32(X86Layout.ioapicAddress), at: 4)
        entries.append(ioapicEntry)
        for irq in 0..<interruptCount {
            // I/O interrupt: INT type, conforming polarity/trigger, ISA bus IRQ n -> IOAPIC pin n.
            entries.append([3, 0, 0, 0, 0, UInt8(irq), ioapic, UInt8(irq)])
        }
        entries.append([4, 3, 0, 0, 0, 0, 0, 0])     // local: ExtINT -> LINT0 of the BSP
        entries.append([4, 1, 0, 0, 0, 0, 0xff, 1])  // local: NMI -> LINT1 of every CPU

        var table = [UInt8](repeating: 0, count: headerSize)
        table.replaceSubrange(0..<4, with: Array("PCMP".utf8))
        table[6] = specRevision
        table.replaceSubrange(8..<16, with: Array("RKT     ".utf8))
        table.replaceSubrange(16..<28, with: Array("MICROVM     ".utf8))
        table.storeLE(UInt16(entries.count), at: 34)
        table.storeLE(UInt32(X86Layout.lapicAddress), at: 36)
        table += entries.flatMap { $0 }
        table.storeLE(UInt16(table.count), at: 4)
        table[7] = checksum(table)

        var pointer = [UInt8](repeating: 0, count: floatingPointerSize)
        pointer.replaceSubrange(0..<4, with: Array("_MP_".utf8))
        pointer.storeLE(UInt32(X86Layout.mpTableAddress) + UInt32(floatingPointerSize), at: 4)
        pointer[8] = 1  // length in 16-byte units
        pointer[9] = specRevision
        pointer[10] = checksum(pointer)
        return pointer + table
    }

    /// The byte that makes the sum of all bytes zero (mod 256), given the checksum byte is still zero.
    static func checksum(_ bytes: [UInt8]) -> UInt8 {
        let sum = bytes.reduce(UInt8(0)) { $0 &+ $1 }
        return 0 &- sum
    }
}
