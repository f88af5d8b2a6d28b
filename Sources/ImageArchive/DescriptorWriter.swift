#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// Writes a whole buffer to a descriptor, continuing after short writes and EINTR.
enum DescriptorWriter {
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            offset += try retryingOnInterrupt("write", path: path) {
                write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            }
        }
    }
}
