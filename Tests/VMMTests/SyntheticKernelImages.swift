@testable import VMM

/// Tiny kernel images built in the tests: an ELF64 with the given PT_LOAD segments, and a bzImage header.
enum SyntheticKernelImages {
    struct Segment {
        var physicalAddress: UInt64
        var data: [UInt8]
        var memorySize: UInt64
    }

    static func elf(entry: UInt64, segments: [Segment], machine: UInt16 = 62) -> [UInt8] {
        let headerSize = 64, phSize = 56
        var image = [UInt8](repeating: 0, count: headerSize + phSize * segments.count)
        image.replaceSubrange(0..<4, with: [0x7f, 0x45, 0x4c, 0x46])
        image[4] = 2; image[5] = 1; image[6] = 1
        image.storeLE(UInt16(2), at: 16)  // ET_EXEC
        image.storeLE(machine, at: 18)
        image.storeLE(UInt32(1), at: 20)
        image.storeLE(entry, at: 24)
        image.storeLE(UInt64(headerSize), at: 32)
        image.storeLE(UInt16(headerSize), at: 52)
        image.storeLE(UInt16(phSize), at: 54)
        image.storeLE(UInt16(segments.count), at: 56)
        for (i, segment) in segments.enumerated() {
            let at = headerSize + i * phSize
            let offset = UInt64(image.count)
            image.storeLE(UInt32(1), at: at)                       // PT_LOAD
            image.storeLE(UInt32(7), at: at + 4)                   // RWX
            image.storeLE(offset, at: at + 8)                      // p_offset
            image.storeLE(segment.physicalAddress | 0xffff_ffff_8000_0000, at: at + 16)  // p_vaddr
            image.storeLE(segment.physicalAddress, at: at + 24)    // p_paddr
            image.storeLE(UInt64(segment.data.count), at: at + 32) // p_filesz
            image.storeLE(segment.memorySize, at: at + 40)         // p_memsz
            image += segment.data
        }
        return image
    }

    /// A bzImage with `setupSectors` sectors of setup and `payload` as its protected-mode kernel.
    static func bzImage(setupSectors: UInt8 = 1, version: UInt16 = 0x020f, xloadflags: UInt16 = 1,
                        initSize: UInt32 = 0x10000, payload: [UInt8]) -> [UInt8] {
        let sectors = setupSectors == 0 ? 4 : Int(setupSectors)
        var image = [UInt8](repeating: 0, count: (sectors + 1) * 512)
        image[0x1f1] = setupSectors
        image.storeLE(UInt16(0xaa55), at: 0x1fe)
        image[0x200] = 0xeb
        image[0x201] = 0x6a  // header ends at 0x26c
        image.storeLE(UInt32(0x5372_6448), at: 0x202)
        image.storeLE(version, at: 0x206)
        image[0x211] = 0x01  // LOADED_HIGH
        image.storeLE(UInt32(0x7fff_ffff), at: 0x22c)  // initrd_addr_max
        image.storeLE(UInt32(0x20_0000), at: 0x230)   // kernel_alignment
        image[0x234] = 1
        image.storeLE(xloadflags, at: 0x236)
        image.storeLE(UInt32(2048), at: 0x238)        // cmdline_size
        image.storeLE(initSize, at: 0x260)
        return image + payload
    }
}
