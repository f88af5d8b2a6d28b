import Glibc

/// A `SETUP_RNG_SEED` entry of the boot protocol's setup_data list: 32 bytes from the host's random pool
/// that the guest kernel mixes in (and, with `random.trust_bootloader=on`, credits) before anything asks
/// for randomness. Without it a guest's first blocking getrandom() waits for jitter entropy, which on hosts
/// that emulate guest kernel code took ~6 s. The kernel zeroes the seed after use.
public enum RandomSeedSetupData {
    static let typeRandomSeed: UInt32 = 9
    public static let seedSize = 32

    /// `struct setup_data { u64 next; u32 type; u32 len; u8 data[]; }` with no successor.
    public static func bytes(seed: [UInt8]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes.storeLE(typeRandomSeed, at: 8)
        bytes.storeLE(UInt32(seed.count), at: 12)
        return bytes + seed
    }

    public static func hostSeed() throws -> [UInt8] {
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BootError.randomSeedUnavailable }
        defer { close(fd) }
        var seed = [UInt8](repeating: 0, count: seedSize)
        let count = seed.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count == seedSize else { throw BootError.randomSeedUnavailable }
        return seed
    }
}
