import Foundation
import LinuxSupport
import OCI

/// Receives the bytes of one layer blob (from a registry, an OCI layout, an archive) into a private
/// temporary file, hashing as they come; `commit()` moves the file into the store only when its size
/// and digest are what the descriptor promised. Dropped without commit, the temporary file is removed.
public final class LayerWriter {
    public let descriptor: OCIDescriptor
    private let temporary: String
    private let destination: String
    private let fd: Int32
    private let hasher: DigestHasher
    private var finished = false

    init(descriptor: OCIDescriptor, temporary: String, destination: String) throws {
        self.descriptor = descriptor
        self.temporary = temporary
        self.destination = destination
        hasher = DigestHasher(descriptor.digest.algorithm)
        fd = try retryingOnInterrupt("open", path: temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        }
    }

    deinit {
        close(fd)
        if !finished { unlink(temporary) }
    }

    /// Bytes received so far.
    public var bytesWritten: Int64 { hasher.count }

    /// Appends bytes; more than the descriptor's size is refused at once.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard hasher.count + Int64(bytes.count) <= descriptor.size else {
            throw OCIError.sizeMismatch(blob: descriptor.digest.description, expected: descriptor.size,
                                        actual: hasher.count + Int64(bytes.count))
        }
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("write", path: temporary)
            }
            offset += written
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Checks size and digest, then renames the file to its place in the store (an identical layer
    /// already there is simply replaced by the same bytes).
    public func commit() throws {
        precondition(!finished, "LayerWriter.commit called twice")
        guard hasher.count == descriptor.size else {
            throw OCIError.sizeMismatch(blob: descriptor.digest.description, expected: descriptor.size, actual: hasher.count)
        }
        let actual = hasher.finalize()
        guard actual == descriptor.digest else {
            throw OCIError.digestMismatch(blob: descriptor.digest.description, expected: descriptor.digest.description,
                                          actual: actual.description)
        }
        try retryingOnInterrupt("fsync", path: temporary) { fsync(fd) }
        try FileSystem.makeDirectories(AtomicFile.parentDirectory(of: destination), mode: 0o750)
        try retryingOnInterrupt("rename", path: destination) { rename(temporary, destination) }
        finished = true
        try AtomicFile.syncDirectory(containing: destination)
    }
}
