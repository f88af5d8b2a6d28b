#if canImport(Glibc)
import Glibc
#endif
import CLinux
import LinuxSupport

/// A Linux tap device as a `NetBackend`: `/dev/net/tun` attached to the named interface (created if it does
/// not exist; the caller, or CNI, configures it), frames without packet information, non-blocking.
public final class TapBackend: NetBackend {
    public let name: String
    public let pollDescriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: VirtioNet.maximumFrame)

    static let tunSetInterface: UInt = 0x4004_54ca  // TUNSETIFF = _IOW('T', 202, int)
    static let interfaceTap: Int16 = 0x0002         // IFF_TAP
    static let interfaceNoPacketInfo: Int16 = 0x1000  // IFF_NO_PI
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
        let flags = Self.interfaceTap | Self.interfaceNoPacketInfo
        request[16] = UInt8(truncatingIfNeeded: flags)
        request[17] = UInt8(truncatingIfNeeded: flags >> 8)
        let result = request.withUnsafeMutableBytes { clinux_ioctl_ptr(fd, Self.tunSetInterface, $0.baseAddress) }
        guard result == 0 else {
            let error = SystemError.current("attach tap (TUNSETIFF)", path: name)
            close(fd)
            throw error
        }
        self.name = name
        pollDescriptor = fd
    }

    deinit { close(pollDescriptor) }

    public func send(_ frame: [UInt8]) throws -> Bool {
        let written = frame.withUnsafeBytes { write(pollDescriptor, $0.baseAddress, $0.count) }
        if written == frame.count { return true }
        if written < 0 && (errno == EAGAIN || errno == EIO || errno == ENOBUFS) { return false }  // full or link down
        if written < 0 { throw SystemError.current("write frame", path: name) }
        return false
    }

    public func receive() throws -> [UInt8]? {
        let count = buffer.withUnsafeMutableBytes { read(pollDescriptor, $0.baseAddress, $0.count) }
        if count > 0 { return Array(buffer[0..<count]) }
        if count < 0 && errno != EAGAIN && errno != EINTR { throw SystemError.current("read frame", path: name) }
        return nil
    }
}
