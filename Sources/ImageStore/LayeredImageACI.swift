/// The small ACI kept as the blob of a layered (OCI / docker) image: `manifest` and an empty `rootfs/`,
/// written as a plain ustar with fixed metadata, so one image always gives the same bytes (and store key).
enum LayeredImageACI {
    static func tar(manifest: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        out += header(name: "manifest", mode: 0o644, size: manifest.count, type: "0")
        out += manifest
        out += [UInt8](repeating: 0, count: (512 - manifest.count % 512) % 512)
        out += header(name: "rootfs/", mode: 0o755, size: 0, type: "5")
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    private static func header(name: String, mode: Int, size: Int, type: Character) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: width - 1 - digits.count) + digits
        }
        put(name, at: 0)
        put(octal(mode, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(0, width: 12), at: 136)
        put("        ", at: 148)
        put(String(type), at: 156)
        put("ustar", at: 257)
        put("00", at: 263)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(octal(sum, width: 7), at: 148)
        block[155] = UInt8(ascii: " ")
        return block
    }
}
