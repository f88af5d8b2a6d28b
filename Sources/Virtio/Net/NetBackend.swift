/// The host side of a virtio-net device. Packets cross it with their 12-byte virtio-net header in front
/// (`VirtioNet.headerLength`): what the driver wrote on transmit, what the backend fills in on receive (the
/// device sets num_buffers). `TapBackend` is the real one.
public protocol NetBackend: AnyObject {
    /// Becomes readable when `receive()` may return a packet (for the event loop's epoll set).
    var pollDescriptor: Int32 { get }
    /// Which offloads the driver accepted for packets coming to it: partial checksums, TSO for IPv4/IPv6,
    /// with ECN. The backend must not hand over packets that need more.
    func setReceiveOffloads(_ offloads: NetReceiveOffloads) throws
    /// Sends one packet from the guest; a full backend, or one that refuses the packet's header, drops it
    /// (as a NIC would), returning false.
    func send(_ packet: [UInt8]) throws -> Bool
    /// The next packet for the guest, or nil when none is waiting. Never blocks.
    func receive() throws -> [UInt8]?
}

/// The receive offloads a driver negotiated (virtio-net GUEST_CSUM, GUEST_TSO4, GUEST_TSO6, GUEST_ECN).
public struct NetReceiveOffloads: Equatable, Sendable {
    public var checksum = false
    public var tso4 = false
    public var tso6 = false
    public var ecn = false

    public init(checksum: Bool = false, tso4: Bool = false, tso6: Bool = false, ecn: Bool = false) {
        self.checksum = checksum
        self.tso4 = tso4
        self.tso6 = tso6
        self.ecn = ecn
    }

    /// From negotiated features. TSO without checksum offload is not a valid combination (virtio 1.2
    /// §5.1.3.1: GUEST_TSO4 requires GUEST_CSUM), so it counts as none.
    public init(features: UInt64) {
        checksum = features & VirtioNet.featureGuestChecksum != 0
        tso4 = checksum && features & VirtioNet.featureGuestTSO4 != 0
        tso6 = checksum && features & VirtioNet.featureGuestTSO6 != 0
        ecn = (tso4 || tso6) && features & VirtioNet.featureGuestECN != 0
    }
}
