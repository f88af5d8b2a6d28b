#if canImport(Glibc)
import Glibc
#endif
import CLinux
import LinuxSupport

/// Firecracker's hybrid vsock on the host: one Unix socket path stands for the guest.
/// - host → guest: a client connects to `path` and writes "CONNECT <port>\n"; once the guest accepts, it
///   reads "OK <host port>\n" and then the stream. A bad or over-long line closes the client.
/// - guest → host port P: the device connects to the Unix socket "`path`_P" (refused → RST to the guest).
///
/// All descriptors are non-blocking and sit in one private epoll set, whose descriptor (`pollDescriptor`)
/// the VMM's event loop watches.
public final class VsockUnixBackend: VsockBackend {
    public let path: String
    public let pollDescriptor: Int32
    /// The longest "CONNECT <port>\n" line accepted.
    static let maximumHandshakeLength = 32
    /// Host clients that have not finished their CONNECT line; more are closed at once.
    public let maximumPendingHandshakes: Int

    private let listener: Int32
    private var handshakes: [Int32: [UInt8]] = [:]
    private var isClosed = false

    /// Binds and listens at `path`. A socket left there by a VMM that died (nobody accepts on it) is replaced;
    /// a live one, or any other file, makes this fail with EADDRINUSE naming the path.
    public init(path: String, maximumPendingHandshakes: Int = 64) throws {
        self.path = path
        self.maximumPendingHandshakes = maximumPendingHandshakes
        Self.removeStaleSocket(at: path)
        pollDescriptor = try retryingOnInterrupt("epoll_create1", path: path) { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do {
            listener = try UnixStreamSocket.listen(at: path)
        } catch {
            Glibc.close(pollDescriptor)
            throw error
        }
        try control(EPOLL_CTL_ADD, listener, events: EPOLLIN.rawValue)
    }

    deinit { close() }

    /// Stops listening, removes the socket file and closes clients still in their handshake.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        for descriptor in handshakes.keys { Glibc.close(descriptor) }
        handshakes = [:]
        Glibc.close(listener)
        unlink(path)
        Glibc.close(pollDescriptor)
    }

    public func connect(toHostPort port: UInt32) throws -> any VsockHostStream {
        let target = "\(path)_\(port)"
        let descriptor = try UnixStreamSocket.connect(to: target)
        let stream = VsockUnixStream(descriptor: descriptor, name: target)
        try control(EPOLL_CTL_ADD, descriptor, events: 0)
        return stream
    }

    /// A stream that hung up has left the epoll set already (see `pollEvents`); watching it does nothing.
    public func watch(_ stream: any VsockHostStream, readable: Bool, writable: Bool) throws {
        var event = epoll_event()
        event.events = (readable ? EPOLLIN.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = stream.identifier
        while epoll_ctl(pollDescriptor, EPOLL_CTL_MOD, stream.identifier, &event) != 0 {
            switch errno {
            case EINTR: continue
            case ENOENT: return
            default: throw SystemError.current("epoll_ctl", path: path)
            }
        }
    }

    public func establishedReply(hostPort: UInt32) -> [UInt8] {
        Array("OK \(hostPort)\n".utf8)
    }

    public func pollEvents() throws -> [VsockBackendEvent] {
        var ready = [epoll_event](repeating: epoll_event(), count: 64)
        let count = try retryingOnInterrupt("epoll_wait", path: path) {
            epoll_wait(pollDescriptor, &ready, Int32(ready.count), 0)
        }
        var events: [VsockBackendEvent] = []
        for event in ready.prefix(Int(count)) {
            let descriptor = event.data.fd
            if descriptor == listener {
                events += try acceptClients()
            } else if handshakes[descriptor] != nil {
                if let connect = readHandshake(descriptor) { events.append(connect) }
            } else {
                let failed = event.events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
                if failed {
                    // Hang-up and error are reported whatever the interest and never clear: leaving the socket
                    // in the set would spin the loop. The device reads what is left and writes fail.
                    _ = epoll_ctl(pollDescriptor, EPOLL_CTL_DEL, descriptor, nil)
                }
                events.append(.ready(identifier: descriptor,
                                     readable: event.events & EPOLLIN.rawValue != 0 || failed,
                                     writable: event.events & EPOLLOUT.rawValue != 0 || failed,
                                     hungUp: failed))
            }
        }
        return events
    }

    /// Accepts every waiting client and reads whatever part of its CONNECT line has already arrived.
    private func acceptClients() throws -> [VsockBackendEvent] {
        var events: [VsockBackendEvent] = []
        while let client = try UnixStreamSocket.accept(from: listener, path: path) {
            guard handshakes.count < maximumPendingHandshakes else {
                Glibc.close(client)
                continue
            }
            do {
                try control(EPOLL_CTL_ADD, client, events: EPOLLIN.rawValue)
            } catch {
                Glibc.close(client)
                throw error
            }
            handshakes[client] = []
            if let connect = readHandshake(client) { events.append(connect) }
        }
        return events
    }

    /// Reads the CONNECT line a byte at a time, so no stream byte after the newline is taken from the socket.
    private func readHandshake(_ descriptor: Int32) -> VsockBackendEvent? {
        var line = handshakes[descriptor] ?? []
        var byte: UInt8 = 0
        while true {
            let result = recv(descriptor, &byte, 1, 0)
            if result < 0 && errno == EINTR { continue }
            if result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                handshakes[descriptor] = line
                return nil
            }
            guard result == 1, line.count < Self.maximumHandshakeLength else { break }
            if byte != UInt8(ascii: "\n") {
                line.append(byte)
                continue
            }
            handshakes[descriptor] = nil
            guard let port = Self.parseConnect(line) else { break }
            return .hostConnect(stream: VsockUnixStream(descriptor: descriptor, name: "client of \(path)"), guestPort: port)
        }
        // End of file, error, an over-long or malformed line: the client is dropped.
        handshakes[descriptor] = nil
        Glibc.close(descriptor)
        return nil
    }

    private static func removeStaleSocket(at path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return }
        do {
            Glibc.close(try UnixStreamSocket.connect(to: path))
        } catch let error as SystemError where error.errno == ECONNREFUSED {
            unlink(path)
        } catch {}
    }

    /// "CONNECT <decimal u32>" (a trailing "\r" tolerated); nil for anything else.
    static func parseConnect(_ line: [UInt8]) -> UInt32? {
        var text = String(decoding: line, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        let prefix = "CONNECT "
        guard text.hasPrefix(prefix) else { return nil }
        let digits = text.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt32(digits)
    }

    private func control(_ operation: Int32, _ descriptor: Int32, events: UInt32) throws {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        try retryingOnInterrupt("epoll_ctl", path: path) { epoll_ctl(pollDescriptor, operation, descriptor, &event) }
    }
}
