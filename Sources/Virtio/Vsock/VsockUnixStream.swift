#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// A connected, non-blocking Unix stream socket as the host end of a vsock connection. Owns its descriptor.
public final class VsockUnixStream: VsockHostStream {
    public let identifier: Int32
    /// Labels errors ("/run/pod/vsock_1024", "client of /run/pod/vsock").
    public let name: String
    private var isClosed = false

    public init(descriptor: Int32, name: String) {
        self.identifier = descriptor
        self.name = name
    }

    deinit { close() }

    public func read(upTo count: Int) throws -> VsockReadResult {
        precondition(count > 0, "read of nothing")
        var bytes = [UInt8](repeating: 0, count: count)
        while true {
            let result = bytes.withUnsafeMutableBytes { recv(identifier, $0.baseAddress, count, 0) }
            if result > 0 { return .data(Array(bytes.prefix(result))) }
            if result == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw SystemError.current("recv", path: name)
            }
        }
    }

    public func write(_ bytes: ArraySlice<UInt8>) throws -> Int {
        guard !bytes.isEmpty else { return 0 }
        while true {
            let result = bytes.withUnsafeBytes { send(identifier, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if result >= 0 { return result }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return 0
            default: throw SystemError.current("send", path: name)
            }
        }
    }

    public func shutdownWrite() {
        guard !isClosed else { return }
        _ = Glibc.shutdown(identifier, Int32(SHUT_WR))
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(identifier)
    }
}
