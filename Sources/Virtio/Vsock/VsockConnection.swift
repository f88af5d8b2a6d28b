/// One stream's state: who started it, the bytes in flight each way, and the credit counters of virtio 1.2
/// §5.10.6.3. Counters are free-running u32 and wrap, as on the wire.
final class VsockConnection {
    enum State: Equatable {
        /// Host-initiated: REQUEST not yet answered by the guest.
        case connecting
        case established
    }

    let key: VsockConnectionKey
    let stream: any VsockHostStream
    var state: State

    // Control packets owed to the guest.
    var owesRequest = false
    var owesResponse = false
    var owesCreditUpdate = false
    /// Set once the host side hit end of file: SHUTDOWN(SEND) is owed after the staged bytes.
    var hostEnded = false
    var sentShutdown = false

    /// Shutdown flags the guest sent.
    var guestShutdown: UInt32 = 0
    var hostWriteClosed = false

    /// The guest's receive buffer (buf_alloc) and how much of what we sent it has consumed (fwd_cnt).
    var peerBufferAllocation: UInt32 = 0
    var peerForwardCount: UInt32 = 0
    /// Payload bytes sent to the guest.
    var sentCount: UInt32 = 0
    /// Payload bytes received from the guest, and how many of them reached the host stream.
    var receivedCount: UInt32 = 0
    var forwardCount: UInt32 = 0
    /// fwd_cnt as last told to the guest.
    var advertisedForwardCount: UInt32 = 0

    /// Guest bytes waiting for the host stream to take them (at most buf_alloc when the guest obeys credit).
    var toHost: [UInt8] = []
    /// Bytes for the host client that are not guest payload ("OK <port>\n"), written before `toHost`.
    var greeting: [UInt8] = []
    /// Host bytes read and waiting for a receive buffer (bounded by the guest's credit and the staging limit).
    var toGuest: [UInt8] = []
    /// The host stream reported readable and has not yet been read to EAGAIN.
    var hostReadable = false

    /// The readiness currently registered with the backend.
    var watchedReadable: Bool?
    var watchedWritable: Bool?

    init(key: VsockConnectionKey, stream: any VsockHostStream, state: State) {
        self.key = key
        self.stream = stream
        self.state = state
    }

    /// How many more payload bytes the guest can take now. A guest claiming to have consumed more than we
    /// sent, or shrinking buf_alloc below what is in flight, gets zero.
    var peerCredit: UInt32 {
        let inFlight = sentCount &- peerForwardCount
        guard inFlight <= peerBufferAllocation else { return 0 }
        return peerBufferAllocation - inFlight
    }

    func updatePeerCredit(from header: VsockPacketHeader) {
        peerBufferAllocation = header.bufferAllocation
        peerForwardCount = header.forwardCount
    }

    var guestStoppedReceiving: Bool { guestShutdown & VirtioVsock.shutdownReceive != 0 }
    var guestStoppedSending: Bool { guestShutdown & VirtioVsock.shutdownSend != 0 }

    /// Whether a packet for this connection waits for a receive buffer.
    var hasPacketForGuest: Bool {
        if owesRequest || owesResponse || owesCreditUpdate { return true }
        guard state == .established else { return false }
        if !toGuest.isEmpty && peerCredit > 0 && !guestStoppedReceiving { return true }
        return hostEnded && toGuest.isEmpty && !sentShutdown
    }

    /// Asks for a CREDIT_UPDATE when the free space the guest last heard of fell below a quarter of buf_alloc
    /// and the host has since taken more bytes.
    func noteForwardProgress(bufferSize: UInt32) {
        let guestViewOfFree = bufferSize &- (receivedCount &- advertisedForwardCount)
        if forwardCount != advertisedForwardCount && guestViewOfFree < bufferSize / 4 {
            owesCreditUpdate = true
        }
    }
}
