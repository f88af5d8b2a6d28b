/// One line of the host↔guest text formats: fields separated by single spaces, each field percent-encoded
/// where it holds a byte that would break the framing (controls, space, `%`, DEL). Anything else, including
/// UTF-8, is kept as is, so a config or a message stays readable in a debug log.
///
/// Both ends treat the other's lines as untrusted: decoding bounds the line and field counts and rejects
/// malformed escapes instead of guessing.
public enum GuestRecordLine {
    /// The longest line either side accepts, newline excluded.
    public static let maximumLength = 128 * 1024
    public static let maximumFields = 4096

    public static func encode(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(0x20) }
            if field.isEmpty {
                bytes.append(contentsOf: [0x25, 0x25])  // "%%" alone stands for an empty field
                continue
            }
            for byte in field.utf8 {
                if byte <= 0x20 || byte == 0x25 || byte == 0x7F {
                    bytes.append(0x25)
                    bytes.append(hexDigit(byte >> 4))
                    bytes.append(hexDigit(byte & 0x0F))
                } else {
                    bytes.append(byte)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Splits a line (without its newline) into its decoded fields. An empty line has no fields.
    public static func decode(_ line: some Collection<UInt8>) throws(GuestProtocolError) -> [String] {
        guard line.count <= maximumLength else { throw .lineTooLong(line.count) }
        let bytes = Array(line)
        var fields: [String] = []
        var index = 0
        while index < bytes.count {
            guard fields.count < maximumFields else { throw .malformed("more than \(maximumFields) fields") }
            var field: [UInt8] = []
            let start = index
            if bytes.count - index >= 2, bytes[index] == 0x25, bytes[index + 1] == 0x25 {
                index += 2  // the empty field
            } else {
                while index < bytes.count, bytes[index] != 0x20 {
                    let byte = bytes[index]
                    if byte == 0x25 {
                        guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                              let low = hexValue(bytes[index + 2]) else { throw .malformed("bad % escape") }
                        field.append(high << 4 | low)
                        index += 3
                    } else if byte < 0x20 || byte == 0x7F {
                        throw .malformed("raw control byte \(byte)")
                    } else {
                        field.append(byte)
                        index += 1
                    }
                }
                guard index > start else { throw .malformed("empty field (two spaces, or a leading space)") }
            }
            guard let text = String(validating: field, as: UTF8.self) else { throw .malformed("field is not UTF-8") }
            fields.append(text)
            if index < bytes.count {
                guard bytes[index] == 0x20 else { throw .malformed("%% must stand alone") }
                index += 1
                guard index < bytes.count else { throw .malformed("trailing space") }
            }
        }
        return fields
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x41 + value - 10 }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
