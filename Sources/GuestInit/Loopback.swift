import CKvmPod
import CLinux
import Glibc
import LinuxSupport

/// Brings the guest's loopback interface up (one ioctl; apps expect 127.0.0.1 to work). Other interfaces
/// come with pod networking.
enum Loopback {
    static func up() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError.current("socket for lo") }
        defer { close(fd) }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { $0.copyBytes(from: Array("lo".utf8)) }
        guard clinux_ioctl_ptr(fd, UInt(SIOCGIFFLAGS), &request) == 0 else { throw SystemError.current("SIOCGIFFLAGS lo") }
        request.ifr_ifru.ifru_flags |= Int16(IFF_UP)
        guard clinux_ioctl_ptr(fd, UInt(SIOCSIFFLAGS), &request) == 0 else { throw SystemError.current("SIOCSIFFLAGS lo") }
    }
}
