import Virtio

/// Loads an uncompressed x86_64 `vmlinux` (ELF64): every PT_LOAD segment is copied to its physical address
/// (`p_paddr`) and its BSS zeroed; the entry is `e_entry`, the kernel's 64-bit `startup_64`, entered with
/// RSI pointing at the zero page. The image is untrusted: headers and segments are bounds-checked.
public enum ElfKernelLoader {
    static let machineX86_64: UInt16 = 62
    static let programHeaderSize = 56
    static let maximumProgramHeaders = 64
    static let loadSegment: UInt32 = 1

    public static func isElf(_ image: [UInt8]) -> Bool {
        image.count >= 4 && image[0] == 0x7f && image[1] == 0x45 && image[2] == 0x4c && image[3] == 0x46
    }

    public static func load(_ image: [UInt8], path: String, into memory: GuestMemory) throws -> LoadedKernel {
        func invalid(_ reason: String) -> BootError { .invalidKernel(path: path, reason: reason) }
        let reader = ByteReader(bytes: image, path: path)
        guard isElf(image) else { throw invalid("not an ELF file") }
        guard try reader.u8(4, "e_ident[EI_CLASS]") == 2 else { throw invalid("not a 64-bit ELF file") }
        guard try reader.u8(5, "e_ident[EI_DATA]") == 1 else { throw invalid("not a little-endian ELF file") }
        guard try reader.u16(18, "e_machine") == machineX86_64 else { throw invalid("not an x86_64 ELF file") }
        let entry = try reader.u64(24, "e_entry")
        let programHeaderOffset = try reader.u64(32, "e_phoff")
        let entrySize = Int(try reader.u16(54, "e_phentsize"))
        let count = Int(try reader.u16(56, "e_phnum"))
        guard entrySize == programHeaderSize else { throw invalid("e_phentsize is \(entrySize), expected 56") }
        guard count > 0, count <= maximumProgramHeaders else { throw invalid("e_phnum \(count) is not in 1...64") }
        guard programHeaderOffset <= UInt64(image.count) else { throw invalid("e_phoff lies past the end of the file") }

        var lowest = UInt64.max, end: UInt64 = 0
        for i in 0..<count {
            let header = Int(programHeaderOffset) + i * entrySize
            let field = "program header \(i)"
            guard try reader.u32(header, "\(field) p_type") == loadSegment else { continue }
            let offset = try reader.u64(header + 8, "\(field) p_offset")
            let physical = try reader.u64(header + 24, "\(field) p_paddr")
            let fileSize = try reader.u64(header + 32, "\(field) p_filesz")
            let memorySize = try reader.u64(header + 40, "\(field) p_memsz")
            guard fileSize <= memorySize else { throw invalid("\(field): p_filesz exceeds p_memsz") }
            guard offset <= UInt64(image.count), fileSize <= UInt64(image.count) - offset else {
                throw invalid("\(field): segment data lies past the end of the file")
            }
            guard physical >= X86Layout.highMemoryStart else {
                throw invalid("\(field): p_paddr 0x\(String(physical, radix: 16)) is below 1 MiB")
            }
            let (segmentEnd, overflow) = physical.addingReportingOverflow(memorySize)
            guard !overflow, memorySize <= UInt64(Int.max), memory.contains(physical, length: Int(memorySize)) else {
                throw invalid("\(field): segment at 0x\(String(physical, radix: 16)) (\(memorySize) bytes) does not fit in guest RAM")
            }
            try memory.write(bytes: image[Int(offset)..<Int(offset + fileSize)], at: physical)
            if memorySize > fileSize {
                try memory.zero(at: physical + fileSize, count: Int(memorySize - fileSize))
            }
            lowest = min(lowest, physical)
            end = max(end, segmentEnd)
        }
        guard end > 0 else { throw invalid("no PT_LOAD segment") }
        guard entry >= lowest, entry < end else {
            throw invalid("e_entry 0x\(String(entry, radix: 16)) is outside the loaded segments")
        }
        return LoadedKernel(format: .elf, entryAddress: entry, endAddress: end)
    }
}
