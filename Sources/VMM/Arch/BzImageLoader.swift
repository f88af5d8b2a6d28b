import Virtio

/// Loads a bzImage per the Linux x86 boot protocol (Documentation/x86/boot.rst): the real-mode setup is
/// skipped, the protected-mode kernel (after `(setup_sects + 1) * 512` bytes) goes to 1 MiB, and the
/// 64-bit entry is that address + 0x200. Needs boot protocol 2.12+ with XLF_KERNEL_64.
public enum BzImageLoader {
    static let setupHeaderOffset = 0x1f1
    static let headerMagic: UInt32 = 0x5372_6448  // "HdrS"
    static let minimumProtocol: UInt16 = 0x020c
    static let xlfKernel64: UInt16 = 1 << 0
    static let loadedHigh: UInt8 = 1 << 0
    public static let loadAddress = X86Layout.highMemoryStart
    static let entryOffset: UInt64 = 0x200

    public static func isBzImage(_ image: [UInt8]) -> Bool {
        (try? ByteReader(bytes: image, path: "").u32(0x202, "header")) == headerMagic
    }

    public static func load(_ image: [UInt8], path: String, into memory: GuestMemory) throws -> LoadedKernel {
        func invalid(_ reason: String) -> BootError { .invalidKernel(path: path, reason: reason) }
        let reader = ByteReader(bytes: image, path: path)
        guard try reader.u16(0x1fe, "boot_flag") == 0xaa55 else { throw invalid("boot_flag is not 0xAA55") }
        guard try reader.u32(0x202, "header") == headerMagic else { throw invalid("no \"HdrS\" setup header") }
        let version = try reader.u16(0x206, "version")
        guard version >= minimumProtocol else {
            throw invalid("boot protocol \(version >> 8).\(version & 0xff) is older than 2.12")
        }
        guard try reader.u8(0x211, "loadflags") & loadedHigh != 0 else { throw invalid("loadflags lack LOADED_HIGH") }
        guard try reader.u16(0x236, "xloadflags") & xlfKernel64 != 0 else {
            throw invalid("xloadflags lack XLF_KERNEL_64 (no 64-bit entry point)")
        }
        var setupSectors = Int(try reader.u8(0x1f1, "setup_sects"))
        if setupSectors == 0 { setupSectors = 4 }
        let kernelOffset = (setupSectors + 1) * 512
        guard kernelOffset < image.count else { throw invalid("setup_sects \(setupSectors) leaves no protected-mode kernel") }
        let headerEnd = 0x202 + Int(try reader.u8(0x201, "jump offset"))
        let setupHeader = Array(try reader.slice(setupHeaderOffset, headerEnd - setupHeaderOffset, "setup header"))

        let kernel = image[kernelOffset...]
        let initSize = UInt64(try reader.u32(0x260, "init_size"))
        let alignment = UInt64(try reader.u32(0x230, "kernel_alignment"))
        let relocatable = try reader.u8(0x234, "relocatable_kernel") != 0
        // The decompressor runs in place at the load address rounded up to kernel_alignment.
        var runAddress = loadAddress
        if relocatable, alignment.nonzeroBitCount == 1 { runAddress = (loadAddress + alignment - 1) & ~(alignment - 1) }
        let end = max(loadAddress + UInt64(kernel.count), runAddress + initSize)
        guard memory.contains(loadAddress, length: Int(end - loadAddress)) else {
            throw invalid("kernel needs guest RAM up to 0x\(String(end, radix: 16)) (init_size \(initSize))")
        }
        try memory.write(bytes: kernel, at: loadAddress)
        return LoadedKernel(format: .bzImage, entryAddress: loadAddress + entryOffset, endAddress: end,
                            setupHeader: setupHeader,
                            initrdAddressMax: UInt64(try reader.u32(0x22c, "initrd_addr_max")),
                            commandLineLimit: Int(try reader.u32(0x238, "cmdline_size")))
    }
}
