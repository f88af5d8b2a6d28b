/// What loading a kernel image into guest memory produced: where to enter it and what the zero page needs.
public struct LoadedKernel: Equatable, Sendable {
    public enum Format: Equatable, Sendable { case elf, bzImage }

    public var format: Format
    /// The 64-bit entry point (ELF `e_entry`, or the bzImage load address + 0x200).
    public var entryAddress: UInt64
    /// First byte after everything the kernel occupies (or may occupy while decompressing).
    public var endAddress: UInt64
    /// For bzImages: the setup header bytes from offset 0x1f1, copied into the zero page.
    public var setupHeader: [UInt8]?
    /// Highest address an initrd byte may occupy.
    public var initrdAddressMax: UInt64
    /// Longest command line the kernel accepts (without the NUL).
    public var commandLineLimit: Int

    public init(format: Format, entryAddress: UInt64, endAddress: UInt64, setupHeader: [UInt8]? = nil,
                initrdAddressMax: UInt64 = 0x37ff_ffff, commandLineLimit: Int = 2047) {
        self.format = format
        self.entryAddress = entryAddress
        self.endAddress = endAddress
        self.setupHeader = setupHeader
        self.initrdAddressMax = initrdAddressMax
        self.commandLineLimit = commandLineLimit
    }
}
