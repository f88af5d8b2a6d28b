import ArgumentParser

/// A guest memory size: `256M`, `1G`, `524288K`, or a plain number of MiB (as Firecracker's mem_size_mib).
struct MemorySize: ExpressibleByArgument, Equatable {
    let bytes: UInt64

    init(bytes: UInt64) { self.bytes = bytes }

    init?(argument: String) {
        guard let parsed = Self.parse(argument) else { return nil }
        bytes = parsed
    }

    var defaultValueDescription: String {
        bytes % (1 << 30) == 0 ? "\(bytes >> 30)G" : bytes % (1 << 20) == 0 ? "\(bytes >> 20)M" : "\(bytes >> 10)K"
    }

    static func parse(_ text: String) -> UInt64? {
        guard let last = text.last else { return nil }
        let shifts: [Character: UInt64] = ["K": 10, "k": 10, "M": 20, "m": 20, "G": 30, "g": 30]
        let shift = shifts[last] ?? 20
        let digits = shifts[last] == nil ? Substring(text) : text.dropLast()
        guard let value = UInt64(digits), value > 0, value <= (UInt64(1) << 40) >> shift else { return nil }
        return value << shift
    }
}
