/// Ports a PC has but this machine does not implement (other COM ports, POST code 0x80, CMOS/RTC, PCI
/// configuration): reads return `fill` bytes and writes are dropped, without going through the slow
/// "unknown port" path or logging.
public final class LegacyPortSink: BusDevice, @unchecked Sendable {
    let fill: UInt8

    public init(fill: UInt8) { self.fill = fill }

    public func read(offset: UInt64, count: Int) -> [UInt8] { [UInt8](repeating: fill, count: count) }
    public func write(offset: UInt64, bytes: [UInt8]) {}

    /// Port ranges and their fill byte: absent UARTs read 0xff (Linux's probe then finds nothing), the CMOS
    /// reads 0 (no update in progress), PCI configuration reads all ones (no devices).
    public static let standardRanges: [(port: UInt16, count: UInt16, fill: UInt8)] = [
        (0x2f8, 8, 0xff), (0x3e8, 8, 0xff), (0x2e8, 8, 0xff),  // COM2..COM4
        (0x70, 2, 0x00),                                       // CMOS / RTC
        (0x80, 1, 0x00),                                       // POST code
        (0x87, 1, 0xff),                                       // DMA page register probe
        (0xcf8, 8, 0xff),                                      // PCI configuration mechanism 1
        (0x3c0, 32, 0xff),                                     // VGA
        (0x278, 3, 0xff), (0x378, 3, 0xff), (0x3bc, 3, 0xff),  // parallel ports
        (0x1f0, 8, 0xff), (0x170, 8, 0xff), (0x3f6, 1, 0xff),  // IDE
        (0x3f0, 6, 0xff),                                      // floppy controller (0x3f6 is IDE's)
    ]
}
