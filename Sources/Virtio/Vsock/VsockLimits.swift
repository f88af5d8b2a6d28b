/// Bounds on what a guest (or host clients) can make the device hold.
public struct VsockLimits: Sendable {
    /// buf_alloc we advertise per connection: the most guest→host bytes held while the host side is slow.
    /// A guest sending beyond it breaks the credit rules and gets its connection reset.
    public var connectionBufferSize: UInt32
    /// The most bytes read from a host stream ahead of the guest's receive buffers, per connection.
    public var stagedBytesPerConnection: Int
    /// The largest payload accepted in one guest packet (Linux sends at most 64 KiB).
    public var maximumPayload: UInt32
    /// Open connections (both directions together); more REQUESTs are answered with RST.
    public var maximumConnections: Int
    /// RST packets waiting for receive buffers; beyond this they are dropped (the peer times out).
    public var maximumPendingResets: Int

    public init(
        connectionBufferSize: UInt32 = 256 * 1024, stagedBytesPerConnection: Int = 64 * 1024,
        maximumPayload: UInt32 = 64 * 1024, maximumConnections: Int = 256, maximumPendingResets: Int = 256
    ) {
        self.connectionBufferSize = connectionBufferSize
        self.stagedBytesPerConnection = stagedBytesPerConnection
        self.maximumPayload = maximumPayload
        self.maximumConnections = maximumConnections
        self.maximumPendingResets = maximumPendingResets
    }
}
