/// virtio-net constants (virtio 1.2 §5.1).
public enum VirtioNet {
    public static let receiveQueue = 0
    public static let transmitQueue = 1
    /// The device has a MAC address in its config space.
    public static let featureMAC: UInt64 = 1 << 5
    /// The config space has a link status field.
    public static let featureStatus: UInt64 = 1 << 16
    /// `struct virtio_net_hdr` with VIRTIO_F_VERSION_1: flags, gso_type, hdr_len, gso_size, csum_start,
    /// csum_offset, num_buffers.
    public static let headerLength = 12
    /// mac[6] + status u16.
    public static let configLength = 8
    public static let linkUp: UInt16 = 1
    /// The largest Ethernet frame we pass either way: no TSO/GSO is offered, so 1514 bytes plus a VLAN tag
    /// is what a guest sends; 64 KiB leaves room for a larger MTU and bounds what a guest can make us copy.
    public static let maximumFrame = 65_536
}
