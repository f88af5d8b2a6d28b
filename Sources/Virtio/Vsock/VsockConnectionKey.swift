/// Identifies one stream between the host and the guest: the host-side port and the guest-side port.
public struct VsockConnectionKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let localPort: UInt32
    public let peerPort: UInt32

    public init(localPort: UInt32, peerPort: UInt32) {
        self.localPort = localPort
        self.peerPort = peerPort
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.localPort, lhs.peerPort) < (rhs.localPort, rhs.peerPort)
    }

    public var description: String { "host port \(localPort) <-> guest port \(peerPort)" }
}
