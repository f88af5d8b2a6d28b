/// One split-ring descriptor as a driver writes it, for building well-formed and hostile chains by hand.
public struct SimulatedDescriptor: Equatable, Sendable {
    public static let next: UInt16 = 1
    public static let write: UInt16 = 2
    public static let indirect: UInt16 = 4

    public var address: UInt64
    public var length: UInt32
    public var flags: UInt16
    public var next: UInt16

    public init(address: UInt64, length: UInt32, flags: UInt16 = 0, next: UInt16 = 0) {
        self.address = address
        self.length = length
        self.flags = flags
        self.next = next
    }
}
