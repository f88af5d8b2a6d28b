#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// Where the guest's console output goes: a file descriptor the caller owns (a pipe, a pty, a log file).
/// Writes go straight from guest memory to the descriptor.
public final class ConsoleOutput: @unchecked Sendable {
    public let descriptor: Int32
    public let name: String

    /// `name` labels errors ("console of pod 1234", "/run/.../console.log"). The descriptor is not closed here.
    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    /// Writes all of `buffer` of guest memory. Fails with the errno of the first failing write (a non-blocking
    /// descriptor that is full fails with EAGAIN: the rest of that buffer is dropped by the caller).
    public func write(from buffer: GuestBuffer, of memory: GuestMemory) throws {
        try memory.withHostBuffer(at: buffer.address, count: Int(buffer.length)) { host in
            var done = 0
            while done < host.count {
                let count = try retryingOnInterrupt("write", path: name) {
                    Glibc.write(descriptor, host.baseAddress! + done, host.count - done)
                }
                guard count > 0 else { throw SystemError(errno: EIO, operation: "write (no progress)", path: name) }
                done += count
            }
        }
    }
}
