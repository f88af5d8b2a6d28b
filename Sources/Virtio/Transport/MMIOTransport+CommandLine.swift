extension MMIOTransport {
    /// The kernel command-line parameter that tells Linux's virtio_mmio driver about a device, as in
    /// `virtio_mmio.device=4K@0xd0000000:5` (size with Linux memparse suffixes, hex base, decimal IRQ).
    public static func commandLineFragment(baseAddress: UInt64, size: Int = windowSize, irq: UInt32) -> String {
        "virtio_mmio.device=\(memparseSize(size))@0x\(String(baseAddress, radix: 16)):\(irq)"
    }

    static func memparseSize(_ size: Int) -> String {
        let units: [(Int, String)] = [(1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
        for (scale, suffix) in units where size >= scale && size % scale == 0 {
            return "\(size / scale)\(suffix)"
        }
        return String(size)
    }
}
