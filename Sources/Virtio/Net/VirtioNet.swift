/// virtio-net constants (virtio 1.2 §5.1).
public enum VirtioNet {
    public static let receiveQueue = 0
    public static let transmitQueue = 1
    /// The device takes packets with a partial checksum (csum_start/csum_offset) from the driver.
    public static let featureChecksum: UInt64 = 1 << 0
    /// The driver takes packets with a partial checksum.
    public static let featureGuestChecksum: UInt64 = 1 << 1
    /// The device has a MAC address in its config space.
    public static let featureMAC: UInt64 = 1 << 5
    /// The driver takes TCP segmentation offload packets (IPv4, IPv6, with ECN).
    public static let featureGuestTSO4: UInt64 = 1 << 7
    public static let featureGuestTSO6: UInt64 = 1 << 8
    public static let featureGuestECN: UInt64 = 1 << 9
    /// The device takes TSO packets from the driver (IPv4, IPv6, with ECN).
    public static let featureHostTSO4: UInt64 = 1 << 11
    public static let featureHostTSO6: UInt64 = 1 << 12
    public static let featureHostECN: UInt64 = 1 << 13
    /// The driver posts small receive buffers and the device spreads a packet over several (num_buffers).
    public static let featureMergeableReceiveBuffers: UInt64 = 1 << 15
    /// The config space has a link status field.
    public static let featureStatus: UInt64 = 1 << 16
    /// Every offload the device offers: a tap with a virtio-net header (IFF_VNET_HDR) takes the driver's
    /// header as it is and fills one in for the driver, so the host kernel segments and checksums.
    public static let offloadFeatures = featureChecksum | featureGuestChecksum | featureGuestTSO4 | featureGuestTSO6
        | featureGuestECN | featureHostTSO4 | featureHostTSO6 | featureHostECN | featureMergeableReceiveBuffers
    /// `struct virtio_net_hdr` with VIRTIO_F_VERSION_1: flags, gso_type, hdr_len, gso_size, csum_start,
    /// csum_offset, num_buffers. Packets cross the backend with it, both ways.
    public static let headerLength = 12
    /// Byte offset of num_buffers (little-endian u16) in the header.
    static let numBuffersOffset = 10
    /// mac[6] + status u16.
    public static let configLength = 8
    public static let linkUp: UInt16 = 1
    /// The largest Ethernet frame either way: a 64 KiB TSO/GSO packet (IP length is 16 bits) with its
    /// Ethernet and VLAN headers. It bounds what a guest can make us copy.
    public static let maximumFrame = 65_535 + 14 + 4
    /// Header plus the largest frame.
    public static let maximumPacket = headerLength + maximumFrame
}
