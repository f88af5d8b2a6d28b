/// Recognizes a 512-byte tar header block: its checksum field must match the block's bytes
/// (POSIX: unsigned sum with the checksum field counted as spaces; historic tars used a signed sum).
enum TarHeaderCheck {
    static let blockSize = 512

    /// Returns nil when the 512-byte `block` is a tar header, else the reason it is not.
    static func problem(with block: [UInt8]) -> String? {
        precondition(block.count == blockSize, "a tar header block is 512 bytes")
        let header = block[...]
        guard let stored = storedChecksum(header) else { return "the header checksum field is not octal" }
        var unsignedSum = 0
        var signedSum = 0
        for (index, byte) in header.enumerated() {
            let counted: UInt8 = (148..<156).contains(index) ? 0x20 : byte
            unsignedSum += Int(counted)
            signedSum += Int(Int8(bitPattern: counted))
        }
        guard stored == unsignedSum || stored == signedSum else {
            return "the header checksum does not match (stored \(stored), computed \(unsignedSum))"
        }
        return nil
    }

    /// The octal number in bytes 148..<156, which may be padded with spaces and NULs on either side.
    private static func storedChecksum(_ header: ArraySlice<UInt8>) -> Int? {
        let field = header[header.startIndex + 148 ..< header.startIndex + 156]
        var value = 0
        var digits = 0
        var finished = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                if finished { return nil }
                value = value * 8 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            case 0x20, 0:
                if digits > 0 { finished = true }
            default:
                return nil
            }
        }
        return digits > 0 ? value : nil
    }
}
