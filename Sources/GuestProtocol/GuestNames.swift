/// Checks for the names and paths in a guest config. Paths must be absolute, free of `..` and NUL, and
/// bounded; the guest resolves them inside an app root without following symlinks out of it as well.
enum GuestNames {
    /// An app or volume name: appc's ACName (lowercase letters, digits, `-`), at most 128 bytes.
    static func isName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 128, bytes.first != 0x2D, bytes.last != 0x2D else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    static func isHostname(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) || (0x30...0x39).contains($0)
            || $0 == 0x2D || $0 == 0x2E }
    }

    static func isAbsolutePath(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.first == 0x2F, bytes.count <= 4096, !bytes.contains(0) else { return false }
        return !bytes.split(separator: 0x2F).contains { $0.elementsEqual([0x2E, 0x2E]) }
    }

    /// A word for resolv.conf or /etc/hosts: printable, no whitespace (the record format already forbids raw
    /// controls; decoded escapes could bring them back, so check again).
    static func isConfigWord(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return !bytes.isEmpty && bytes.count <= 256 && bytes.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }
}
