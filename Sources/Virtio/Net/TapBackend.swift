#if canImport(Glibc)
import Glibc
#endif
import CLinux
import LinuxSupport

/// A Linux tap device as a `NetBackend`: `/dev/net/tun` attached to the named interface (created if it does
/// not exist; the caller, or CNI, configures it), non-blocking, each packet behind a 12-byte virtio-net
/// header (IFF_VNET_HDR, TUNSETVNETHDRSZ): the kernel reads the guest's header on write (and refuses a bad
/// one: EINVAL) and writes one on read, segmenting and checksumming only what the guest's offloads
/// (TUNSETOFFLOAD) do not cover.
public final class TapBackend: NetBackend {
    public let name: String
    public let pollDescriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: VirtioNet.maximumPacket)

    static let tunSetInterface: UInt = 0x4004_54ca  // TUNSETIFF = _IOW('T', 202, int)
    static let tunSetOffload: UInt = 0x4004_54d0    // TUNSETOFFLOAD = _IOW('T', 208, unsigned int)
    static let tunSetHeaderSize: UInt = 0x4004_54d8 // TUNSETVNETHDRSZ = _IOW('T', 216, int)
    static let interfaceTap: Int16 = 0x0002         // IFF_TAP
    static let interfaceNoPacketInfo: Int16 = 0x1000  // IFF_NO_PI
    static let interfaceVirtioHeader: Int16 = 0x4000  // IFF_VNET_HDR
    /// TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6, TUN_F_TSO_ECN.
    static let offloadChecksum: UInt = 0x01, offloadTSO4: UInt = 0x02, offloadTSO6: UInt = 0x04, offloadECN: UInt = 0x08
    /// struct ifreq: IFNAMSIZ (16) name bytes, then a union of at least 24 bytes (flags: the first short).
    static let interfaceRequestSize = 40

    public init(name: String) throws {
        let nameBytes = Array(name.utf8)
        guard !nameBytes.isEmpty, nameBytes.count < 16, !nameBytes.contains(0), !nameBytes.contains(0x2F) else {
            throw SystemError(errno: EINVAL, operation: "tap interface name (1 to 15 bytes, no '/')", path: name)
        }
        let fd = try retryingOnInterrupt("open", path: "/dev/net/tun") {
            clinux_open_mode("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC, 0)
        }
        var request = [UInt8](repeating: 0, count: Self.interfaceRequestSize)
        request.replaceSubrange(0..<nameBytes.count, with: nameBytes)
        let flags = Self.interfaceTap | Self.interfaceNoPacketInfo | Self.interfaceVirtioHeader
        request[16] = UInt8(truncatingIfNeeded: flags)
        request[17] = UInt8(truncatingIfNeeded: flags >> 8)
        let result = request.withUnsafeMutableBytes { clinux_ioctl_ptr(fd, Self.tunSetInterface, $0.baseAddress) }
        guard result == 0 else {
            let error = SystemError.current("attach tap (TUNSETIFF)", path: name)
            close(fd)
            throw error
        }
        var headerSize = Int32(VirtioNet.headerLength)
        guard clinux_ioctl_ptr(fd, Self.tunSetHeaderSize, &headerSize) == 0 else {
            let error = SystemError.current("set the tap's virtio-net header size (TUNSETVNETHDRSZ)", path: name)
            close(fd)
            throw error
        }
        self.name = name
        pollDescriptor = fd
        try setReceiveOffloads(NetReceiveOffloads())
    }

    public func setReceiveOffloads(_ offloads: NetReceiveOffloads) throws {
        var flags: UInt = 0
        if offloads.checksum { flags |= Self.offloadChecksum }
        if offloads.tso4 { flags |= Self.offloadTSO4 }
        if offloads.tso6 { flags |= Self.offloadTSO6 }
        if offloads.ecn { flags |= Self.offloadECN }
        guard clinux_ioctl_val(pollDescriptor, Self.tunSetOffload, flags) == 0 else {
            throw SystemError.current("set the tap's offloads (TUNSETOFFLOAD \(flags))", path: name)
        }
    }

    deinit { close(pollDescriptor) }

    public func send(_ packet: [UInt8]) throws -> Bool {
        let written = packet.withUnsafeBytes { write(pollDescriptor, $0.baseAddress, $0.count) }
        if written == packet.count { return true }
        // Full, link down, or a header the kernel refuses (the guest's to get right): the packet is dropped.
        if written < 0 && [EAGAIN, EIO, ENOBUFS, EINVAL, EMSGSIZE].contains(errno) { return false }
        if written < 0 { throw SystemError.current("write packet", path: name) }
        return false
    }

    public func receive() throws -> [UInt8]? {
        let count = buffer.withUnsafeMutableBytes { read(pollDescriptor, $0.baseAddress, $0.count) }
        if count > 0 { return Array(buffer[0..<count]) }
        if count < 0 && errno != EAGAIN && errno != EINTR { throw SystemError.current("read packet", path: name) }
        return nil
    }
}
