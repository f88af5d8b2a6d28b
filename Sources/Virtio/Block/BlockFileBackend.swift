#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// A disk image file behind a virtio-blk device. Reads and writes go straight between the file and guest
/// memory (pread/pwrite on the host buffers of guest RAM). The capacity is the file size in whole 512-byte
/// sectors, taken when the file is opened.
public final class BlockFileBackend: @unchecked Sendable {
    public let path: String
    public let isReadOnly: Bool
    /// Capacity in 512-byte sectors.
    public let sectorCount: UInt64
    private let descriptor: Int32

    public init(path: String, readOnly: Bool) throws {
        let flags = (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC
        let descriptor = try retryingOnInterrupt("open", path: path) { open(path, flags) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let error = SystemError.current("fstat", path: path)
            close(descriptor)
            throw error
        }
        self.path = path
        self.isReadOnly = readOnly
        self.descriptor = descriptor
        self.sectorCount = UInt64(info.st_size) / UInt64(VirtioBlock.sectorSize)
    }

    deinit {
        close(descriptor)
    }

    /// Fills `buffer` of guest memory from the file at byte `offset`. Hitting end of file is an error.
    public func read(into buffer: GuestBuffer, of memory: GuestMemory, fileOffset offset: UInt64) throws {
        try memory.withHostBuffer(at: buffer.address, count: Int(buffer.length)) { host in
            var done = 0
            while done < host.count {
                let count = try retryingOnInterrupt("pread", path: path) {
                    pread(descriptor, host.baseAddress! + done, host.count - done, off_t(offset) + off_t(done))
                }
                guard count > 0 else { throw SystemError(errno: EIO, operation: "pread (end of file)", path: path) }
                done += count
            }
        }
    }

    /// Writes `buffer` of guest memory into the file at byte `offset`.
    public func write(from buffer: GuestBuffer, of memory: GuestMemory, fileOffset offset: UInt64) throws {
        guard !isReadOnly else { throw SystemError(errno: EROFS, operation: "pwrite", path: path) }
        try memory.withHostBuffer(at: buffer.address, count: Int(buffer.length)) { host in
            var done = 0
            while done < host.count {
                let count = try retryingOnInterrupt("pwrite", path: path) {
                    pwrite(descriptor, host.baseAddress! + done, host.count - done, off_t(offset) + off_t(done))
                }
                guard count > 0 else { throw SystemError(errno: EIO, operation: "pwrite (no progress)", path: path) }
                done += count
            }
        }
    }

    /// Makes written data durable (a guest FLUSH).
    public func flush() throws {
        try retryingOnInterrupt("fdatasync", path: path) { fdatasync(descriptor) }
    }
}
