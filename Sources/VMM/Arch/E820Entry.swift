/// One entry of the BIOS memory map handed to Linux in the zero page (20 bytes: addr, size, type).
public struct E820Entry: Equatable, Sendable {
    public static let ram: UInt32 = 1
    public static let reserved: UInt32 = 2

    public var address: UInt64
    public var size: UInt64
    public var type: UInt32

    public init(address: UInt64, size: UInt64, type: UInt32) {
        self.address = address
        self.size = size
        self.type = type
    }

    /// The usable RAM of a guest with the given RAM regions: conventional memory below the EBDA, then RAM
    /// from 1 MiB (the legacy VGA/BIOS hole [0xa0000, 1 MiB) and the EBDA are left out), then high RAM.
    public static func memoryMap(ramRegions: [(start: UInt64, size: UInt64)]) -> [E820Entry] {
        var map: [E820Entry] = []
        for region in ramRegions {
            let end = region.start + region.size
            if region.start < X86Layout.ebdaStart {
                map.append(E820Entry(address: region.start, size: min(end, X86Layout.ebdaStart) - region.start, type: ram))
            }
            let high = max(region.start, X86Layout.highMemoryStart)
            if end > high {
                map.append(E820Entry(address: high, size: end - high, type: ram))
            }
        }
        return map
    }
}
