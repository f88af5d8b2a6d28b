#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// Plain Unix stream sockets for the host side of vsock tests. Reads never wait (MSG_DONTWAIT): AF_UNIX
/// delivers synchronously, so whatever the device wrote is already there.
final class TestUnixSocket {
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    static func connect(to path: String) throws -> TestUnixSocket {
        let socket = TestUnixSocket(descriptor: Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0))
        var address = Self.address(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return socket
    }

    static func listen(at path: String) throws -> TestUnixSocket {
        let socket = TestUnixSocket(descriptor: Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0))
        var address = Self.address(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0, Glibc.listen(socket.descriptor, 8) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return socket
    }

    /// The next pending connection, without waiting; nil when none.
    func acceptPending() -> TestUnixSocket? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) == 1 else { return nil }
        let client = Glibc.accept(descriptor, nil, nil)
        return client >= 0 ? TestUnixSocket(descriptor: client) : nil
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
        let written = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        XCTAssertEqual(written, bytes.count)
    }

    /// Writes what fits now, ignoring a closed peer (for random traffic); returns the count or -1.
    @discardableResult
    func offer(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
    }

    /// Everything readable now; `endOfFile` is true when the peer closed its write side (or closed the
    /// connection with our bytes unread, which AF_UNIX reports as ECONNRESET).
    func readAvailable() -> (bytes: [UInt8], endOfFile: Bool) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                bytes += chunk.prefix(count)
                continue
            }
            return (bytes, count == 0 || errno == ECONNRESET)
        }
    }

    func readText() -> String { String(decoding: readAvailable().bytes, as: UTF8.self) }

    func shutdownWrite() { _ = Glibc.shutdown(descriptor, Int32(SHUT_WR)) }

    private static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
        }
        return address
    }
}
