/// Where the initramfs goes: as high as possible in low RAM (below the MMIO gap and the kernel's
/// `initrd_addr_max`), page aligned, and above the kernel, as Firecracker and QEMU place it.
public enum InitrdPlacement {
    public static func address(size: Int, path: String, kernel: LoadedKernel, lowRamEnd: UInt64) throws -> UInt64 {
        let limit = min(lowRamEnd, kernel.initrdAddressMax &+ 1)
        guard size > 0 else { throw BootError.initrdDoesNotFit(path: path, size: size, reason: "the file is empty") }
        guard UInt64(size) <= limit else {
            throw BootError.initrdDoesNotFit(path: path, size: size, reason: "larger than the RAM below 0x\(String(limit, radix: 16))")
        }
        let address = (limit - UInt64(size)) & ~UInt64(0xfff)
        guard address >= kernel.endAddress else {
            throw BootError.initrdDoesNotFit(path: path, size: size,
                                             reason: "no room between the kernel's end 0x\(String(kernel.endAddress, radix: 16)) and 0x\(String(limit, radix: 16)); give the guest more memory")
        }
        return address
    }
}
