/// One buffer of a descriptor chain: a range of guest-physical memory, already checked to lie inside guest RAM.
public struct GuestBuffer: Equatable, Hashable, Sendable {
    public let address: UInt64
    public let length: UInt32

    public init(address: UInt64, length: UInt32) {
        self.address = address
        self.length = length
    }
}
