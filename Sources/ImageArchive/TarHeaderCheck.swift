/// Recognizes a 512-byte tar header block: its checksum field must match the block's bytes
/// (POSIX: unsigned sum with the checksum field counted as spaces; historic tars used a signed sum).
enum TarHeaderCheck {
    static let blockSize = 512

    /// Returns nil when the 512-byte `block` is a tar header, else the reason it is not.
    static func problem(with block: [UInt8]) -> String? {
        precondition(block.count == blockSize, "a tar header block is 512 bytes")
        let header = block[...]
        guard let stored = number(header[header.startIndex + 148 ..< header.startIndex + 156]) else {
            return "the header checksum field is not octal"
        }
        var unsignedSum = 0
        var signedSum = 0
        for (index, byte) in header.enumerated() {
            let counted: UInt8 = (148..<156).contains(index) ? 0x20 : byte
            unsignedSum += Int(counted)
            signedSum += Int(Int8(bitPattern: counted))
        }
        guard stored == Int64(unsignedSum) || stored == Int64(signedSum) else {
            return "the header checksum does not match (stored \(stored), computed \(unsignedSum))"
        }
        return nil
    }

    /// A numeric header field: octal text padded with spaces/NULs (an empty field is 0), or GNU
    /// base-256 (high bit of the first byte set; only non-negative values are accepted).
    static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            guard first == 0x80, field.count >= 9, field.dropFirst().prefix(field.count - 9).allSatisfy({ $0 == 0 }),
                  field[field.endIndex - 8] & 0x80 == 0 else { return nil }
            return field.suffix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
        }
        var value: Int64 = 0
        var digits = 0
        var ended = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                // 21 octal digits are 63 bits: more could overflow.
                if ended || digits >= 21 { return nil }
                value = value * 8 + Int64(byte - UInt8(ascii: "0"))
                digits += 1
            case 0x20, 0:
                if digits > 0 { ended = true }
            default:
                return nil
            }
        }
        return value
    }
}
