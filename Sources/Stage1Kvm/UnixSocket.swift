import CKvmPod
import Glibc
import Foundation
import LinuxSupport

/// Unix stream sockets at paths relative to the pod directory: the listener the VMM connects guest streams
/// to, and the client end `enter`/`stop` use to reach the guest through the VMM's hybrid vsock.
enum UnixSocket {
    static func listen(at path: String) throws -> Int32 {
        _ = unlink(path)
        let fd = try stream()
        do {
            try withAddress(path) { address, length in
                guard bind(fd, address, length) == 0 else { throw SystemError.current("bind", path: path) }
            }
            guard Glibc.listen(fd, 64) == 0 else { throw SystemError.current("listen", path: path) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    static func connect(to path: String) throws -> Int32 {
        let fd = try stream()
        do {
            try withAddress(path) { address, length in
                guard Glibc.connect(fd, address, length) == 0 else { throw SystemError.current("connect", path: path) }
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Connects to `port` in the guest through the VMM's hybrid vsock socket: `CONNECT port`, then the
    /// VMM's `OK …` line once the guest accepted (read byte by byte: the stream follows it directly).
    static func connectToGuest(vsock path: String, port: UInt32) throws -> Int32 {
        let fd = try connect(to: path)
        do {
            try AtomicFile.writeAll(fd, Array("CONNECT \(port)\n".utf8), path: path)
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while line.count < 256 {
                let count = try retryingOnInterrupt("read", path: path) { read(fd, &byte, 1) }
                guard count == 1 else { break }
                if byte == 0x0A { break }
                line.append(byte)
            }
            guard line.starts(with: Array("OK ".utf8)) else {
                throw KvmError("\(path): the guest did not accept a connection to port \(port) (is the pod running and its init ready?)")
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private static func stream() throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError.current("socket") }
        return fd
    }

    private static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Void) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw KvmError("\(path): socket path longer than \(capacity - 1) bytes") }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
