import Foundation

/// Mount points listed in a `mountinfo` file (`/proc/self/mountinfo`, `/proc/PID/mountinfo`), with the
/// kernel's octal escapes (`\040` for a space) decoded.
public enum MountTable {
    public static func points(in mountinfo: String = "/proc/self/mountinfo") -> [String] {
        // Read to EOF: String(contentsOfFile:) stops early on /proc files (they report size 0).
        guard let handle = FileHandle(forReadingAtPath: mountinfo) else { return [] }
        defer { try? handle.close() }
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 ? unescape(String(fields[4])) : nil
        }
    }

    static func unescape(_ field: String) -> String {
        var bytes: [UInt8] = []
        var input = Array(field.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "\\"), input.count >= 3, let value = UInt8(String(decoding: input.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                input = input.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
