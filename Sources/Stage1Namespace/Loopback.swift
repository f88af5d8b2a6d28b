import CLinux
import Glibc
import LinuxSupport

/// Brings `lo` up in a new network namespace (the only interface a pod has until CNI networking exists).
enum Loopback {
    static let getFlags: UInt = 0x8913 // SIOCGIFFLAGS
    static let setFlags: UInt = 0x8914 // SIOCSIFFLAGS

    static func bringUp() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError.current("socket for interface lo") }
        defer { close(fd) }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { buffer in
            for (index, byte) in "lo".utf8.enumerated() { buffer[index] = byte }
        }
        guard clinux_ioctl_ptr(fd, getFlags, &request) == 0 else { throw SystemError.current("read flags of interface", path: "lo") }
        request.ifr_ifru.ifru_flags |= Int16(IFF_UP | IFF_RUNNING)
        guard clinux_ioctl_ptr(fd, setFlags, &request) == 0 else { throw SystemError.current("bring up interface", path: "lo") }
    }
}
