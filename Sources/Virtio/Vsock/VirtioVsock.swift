/// Constants of the virtio socket device (virtio 1.2 §5.10).
public enum VirtioVsock {
    /// Queue 0: packets for the guest; the driver posts writable buffers (header, then payload room).
    public static let receiveQueue = 0
    /// Queue 1: packets from the guest; readable buffers (header, then `len` payload bytes).
    public static let transmitQueue = 1
    /// Queue 2: device events (transport reset); buffers stay posted until the device needs one.
    public static let eventQueue = 2
    /// The well-known CID of the host (VMADDR_CID_HOST).
    public static let hostCID: UInt64 = 2
    /// struct virtio_vsock_config { le64 guest_cid; }
    static let configLength = 8
    /// VIRTIO_VSOCK_TYPE_STREAM, the only socket type we offer (no SEQPACKET feature).
    public static let streamType: UInt16 = 1
    /// SHUTDOWN flags: the sender will receive no more / send no more.
    public static let shutdownReceive: UInt32 = 1
    public static let shutdownSend: UInt32 = 2
    public static let shutdownBoth: UInt32 = 3
}
