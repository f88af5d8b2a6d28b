/// An access to guest memory that the guest's layout does not allow. Guest-supplied addresses are untrusted:
/// every access is checked and fails with this error instead of touching host memory outside the guest.
public enum GuestMemoryError: Error, Equatable, CustomStringConvertible, Sendable {
    case outOfBounds(address: UInt64, length: Int)
    case overlappingRegions(UInt64, UInt64)
    case mapFailed(size: Int, errno: Int32)

    public var description: String {
        switch self {
        case let .outOfBounds(address, length):
            return "guest memory access of \(length) bytes at 0x\(String(address, radix: 16)) is outside guest RAM"
        case let .overlappingRegions(a, b):
            return "guest memory regions at 0x\(String(a, radix: 16)) and 0x\(String(b, radix: 16)) overlap"
        case let .mapFailed(size, errno):
            return "mmap of \(size) bytes of guest memory failed (errno \(errno))"
        }
    }
}
