import Virtio

/// Lays out a Linux guest in RAM: kernel (ELF vmlinux or bzImage), initrd, command line, zero page with
/// the e820 map, MP table, GDT/IDT and identity page tables. Returns what the vCPUs need to enter it.
public enum X86Boot {
    public struct Image: Sendable {
        public var path: String
        public var bytes: [UInt8]
        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    public static func loadKernel(_ kernel: Image, into memory: GuestMemory) throws -> LoadedKernel {
        if ElfKernelLoader.isElf(kernel.bytes) { return try ElfKernelLoader.load(kernel.bytes, path: kernel.path, into: memory) }
        if BzImageLoader.isBzImage(kernel.bytes) { return try BzImageLoader.load(kernel.bytes, path: kernel.path, into: memory) }
        throw BootError.invalidKernel(path: kernel.path, reason: "neither an ELF vmlinux nor a bzImage")
    }

    @discardableResult
    public static func load(kernel: Image, initrd: Image?, commandLine: KernelCommandLine, vcpuCount: Int,
                            memory: GuestMemory) throws -> LoadedKernel {
        let loaded = try loadKernel(kernel, into: memory)
        var params = BootParams(kernel: loaded)

        let line = try commandLine.bytes(limit: loaded.commandLineLimit)
        try memory.write(bytes: line, at: X86Layout.commandLineAddress)
        params.setCommandLine(address: X86Layout.commandLineAddress, size: line.count)

        let lowRamEnd = memory.regions.first.map { $0.endAddress } ?? 0
        if let initrd {
            let address = try InitrdPlacement.address(size: initrd.bytes.count, path: initrd.path, kernel: loaded,
                                                      lowRamEnd: lowRamEnd)
            try memory.write(bytes: initrd.bytes, at: address)
            params.setRamdisk(address: address, size: UInt64(initrd.bytes.count))
        }

        try memory.write(bytes: RandomSeedSetupData.bytes(seed: try RandomSeedSetupData.hostSeed()), at: X86Layout.setupDataAddress)
        params.setSetupData(address: X86Layout.setupDataAddress)

        try params.setMemoryMap(E820Entry.memoryMap(ramRegions: memory.regions.map { ($0.guestAddress, UInt64($0.size)) }))
        try memory.write(bytes: params.bytes, at: X86Layout.zeroPageAddress)
        try memory.write(bytes: MpTable.bytes(vcpuCount: vcpuCount), at: X86Layout.mpTableAddress)
        try LongModeBoot.writeTables(into: memory)
        return loaded
    }

    /// Bounds of guest RAM: room for the boot structures and a small kernel; at most 1 TiB.
    public static let minimumMemorySize: UInt64 = 2 << 20
    public static let maximumMemorySize: UInt64 = 1 << 40

    /// Guest RAM for `size` bytes (a whole number of 4 KiB pages) laid out around the MMIO gap.
    public static func makeMemory(size: UInt64) throws -> GuestMemory {
        guard size % 4096 == 0, size >= minimumMemorySize, size <= maximumMemorySize else {
            throw BootError.invalidMemorySize(size)
        }
        return try GuestMemory(regions: X86Layout.ramRegions(size: size).map {
            try GuestMemoryRegion(guestAddress: $0.start, size: Int($0.size))
        })
    }
}
