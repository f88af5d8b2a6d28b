/// Bounds-checked little-endian reads from an untrusted byte array (kernel images): every read states what
/// it reads, and a short file produces an error naming that field instead of a crash.
struct ByteReader {
    let bytes: [UInt8]
    let path: String

    func u8(_ offset: Int, _ field: String) throws -> UInt8 {
        try check(offset, 1, field)
        return bytes[offset]
    }

    func u16(_ offset: Int, _ field: String) throws -> UInt16 { UInt16(try unsigned(offset, 2, field)) }
    func u32(_ offset: Int, _ field: String) throws -> UInt32 { UInt32(try unsigned(offset, 4, field)) }
    func u64(_ offset: Int, _ field: String) throws -> UInt64 { try unsigned(offset, 8, field) }

    func slice(_ offset: Int, _ count: Int, _ field: String) throws -> ArraySlice<UInt8> {
        try check(offset, count, field)
        return bytes[offset..<(offset + count)]
    }

    private func unsigned(_ offset: Int, _ size: Int, _ field: String) throws -> UInt64 {
        try check(offset, size, field)
        var value: UInt64 = 0
        for i in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }

    private func check(_ offset: Int, _ count: Int, _ field: String) throws {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw BootError.invalidKernel(path: path, reason: "file ends before \(field) (offset \(offset), \(count) bytes)")
        }
    }
}

/// Little-endian stores into a byte array (zero page, MP table), for building structures the guest reads.
extension Array where Element == UInt8 {
    mutating func storeLE<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for i in 0..<MemoryLayout<T>.size { self[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    func loadLE<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        var value: T = 0
        for i in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(self[offset + i]) }
        return value
    }
}
