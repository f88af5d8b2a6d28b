#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// Writes a whole buffer to a descriptor, continuing after short writes and EINTR.
enum DescriptorWriter {
    /// Writes at a file offset (pwrite), leaving the descriptor's position alone.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, at offset: Int64, path: String) throws {
        var done = 0
        while done < bytes.count {
            done += try retryingOnInterrupt("write", path: path) {
                pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            }
        }
    }

    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            offset += try retryingOnInterrupt("write", path: path) {
                write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            }
        }
    }
}
