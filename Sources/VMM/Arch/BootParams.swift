/// The Linux "zero page" (`struct boot_params`, 4 KiB) for the 64-bit boot protocol, built as bytes at the
/// offsets of Documentation/x86/zero-page.rst and boot.rst.
public struct BootParams: Equatable, Sendable {
    public static let size = 4096
    enum Offset {
        static let extRamdiskImage = 0x0c0
        static let extRamdiskSize = 0x0c4
        static let extCommandLinePointer = 0x0c8
        static let e820Entries = 0x1e8
        static let setupHeader = 0x1f1
        static let bootFlag = 0x1fe
        static let header = 0x202
        static let typeOfLoader = 0x210
        static let loadFlags = 0x211
        static let ramdiskImage = 0x218
        static let ramdiskSize = 0x21c
        static let commandLinePointer = 0x228
        static let kernelAlignment = 0x230
        static let commandLineSize = 0x238
        static let setupData = 0x250
        static let e820Table = 0x2d0
    }
    public static let maximumE820Entries = 128
    static let e820EntrySize = 20
    /// "Undefined" boot loader ID: we are not one of the registered loaders.
    static let loaderTypeUndefined: UInt8 = 0xff

    public private(set) var bytes: [UInt8]

    /// A zero page for `kernel`: a bzImage's own setup header is copied in, an ELF kernel gets the minimal
    /// header fields (boot flag, "HdrS", 16 MiB alignment) as Firecracker writes them.
    public init(kernel: LoadedKernel) {
        bytes = Array(repeating: 0, count: Self.size)
        if let header = kernel.setupHeader {
            let count = min(header.count, Offset.e820Table - Offset.setupHeader)
            bytes.replaceSubrange(Offset.setupHeader..<(Offset.setupHeader + count), with: header.prefix(count))
        } else {
            bytes.storeLE(UInt16(0xaa55), at: Offset.bootFlag)
            bytes.storeLE(UInt32(0x5372_6448), at: Offset.header)
            bytes.storeLE(UInt32(0x0100_0000), at: Offset.kernelAlignment)
        }
        bytes[Offset.typeOfLoader] = Self.loaderTypeUndefined
    }

    public mutating func setCommandLine(address: UInt64, size: Int) {
        bytes.storeLE(UInt32(truncatingIfNeeded: address), at: Offset.commandLinePointer)
        bytes.storeLE(UInt32(truncatingIfNeeded: address >> 32), at: Offset.extCommandLinePointer)
        bytes.storeLE(UInt32(size), at: Offset.commandLineSize)
    }

    public mutating func setRamdisk(address: UInt64, size: UInt64) {
        bytes.storeLE(UInt32(truncatingIfNeeded: address), at: Offset.ramdiskImage)
        bytes.storeLE(UInt32(truncatingIfNeeded: address >> 32), at: Offset.extRamdiskImage)
        bytes.storeLE(UInt32(truncatingIfNeeded: size), at: Offset.ramdiskSize)
        bytes.storeLE(UInt32(truncatingIfNeeded: size >> 32), at: Offset.extRamdiskSize)
    }

    /// The guest-physical address of the first `struct setup_data` (a linked list the kernel walks early).
    public mutating func setSetupData(address: UInt64) {
        bytes.storeLE(address, at: Offset.setupData)
    }

    public mutating func setMemoryMap(_ entries: [E820Entry]) throws {
        guard entries.count <= Self.maximumE820Entries else { throw BootError.tooManyMemoryMapEntries(entries.count) }
        bytes[Offset.e820Entries] = UInt8(entries.count)
        for (i, entry) in entries.enumerated() {
            let at = Offset.e820Table + i * Self.e820EntrySize
            bytes.storeLE(entry.address, at: at)
            bytes.storeLE(entry.size, at: at + 8)
            bytes.storeLE(entry.type, at: at + 16)
        }
    }

    // Readers for tests and diagnostics.
    public var commandLinePointer: UInt64 {
        UInt64(bytes.loadLE(UInt32.self, at: Offset.commandLinePointer))
            | UInt64(bytes.loadLE(UInt32.self, at: Offset.extCommandLinePointer)) << 32
    }
    public var ramdiskImage: UInt64 {
        UInt64(bytes.loadLE(UInt32.self, at: Offset.ramdiskImage)) | UInt64(bytes.loadLE(UInt32.self, at: Offset.extRamdiskImage)) << 32
    }
    public var ramdiskSize: UInt32 { bytes.loadLE(UInt32.self, at: Offset.ramdiskSize) }
    public var typeOfLoader: UInt8 { bytes[Offset.typeOfLoader] }
    public var e820: [E820Entry] {
        (0..<Int(bytes[Offset.e820Entries])).map { i in
            let at = Offset.e820Table + i * Self.e820EntrySize
            return E820Entry(address: bytes.loadLE(UInt64.self, at: at), size: bytes.loadLE(UInt64.self, at: at + 8),
                             type: bytes.loadLE(UInt32.self, at: at + 16))
        }
    }
}
