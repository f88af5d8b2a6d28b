#if canImport(Glibc)
import Glibc
#endif

/// One contiguous range of guest-physical memory backed by an anonymous host mapping that this value owns.
public final class GuestMemoryRegion: @unchecked Sendable {
    public let guestAddress: UInt64
    public let size: Int
    let host: UnsafeMutableRawPointer

    public init(guestAddress: UInt64, size: Int) throws {
        precondition(size > 0, "a guest memory region needs a size")
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              mapped != MAP_FAILED
        else { throw GuestMemoryError.mapFailed(size: size, errno: errno) }
        self.guestAddress = guestAddress
        self.size = size
        self.host = mapped
    }

    deinit {
        munmap(host, size)
    }

    /// The host virtual address of the region's first byte, for `KVM_SET_USER_MEMORY_REGION`.
    public var userspaceAddress: UInt64 { UInt64(UInt(bitPattern: host)) }

    public var endAddress: UInt64 { guestAddress + UInt64(size) }

    /// Whether `[address, address + length)` lies wholly inside this region (overflow-safe).
    func contains(_ address: UInt64, length: Int) -> Bool {
        guard length >= 0, address >= guestAddress else { return false }
        let offset = address - guestAddress
        return offset <= UInt64(size) && UInt64(length) <= UInt64(size) - offset
    }
}
