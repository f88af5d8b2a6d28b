/// Something the backend noticed on the host side.
public enum VsockBackendEvent {
    /// A host client asked to be connected to `guestPort` (hybrid vsock: "CONNECT <port>\n").
    case hostConnect(stream: any VsockHostStream, guestPort: UInt32)
    /// A stream became readable or writable. `hungUp`: the peer is gone or the socket failed (it then also
    /// counts as readable and writable, so a read or write tells the details); it is not reported again.
    case ready(identifier: Int32, readable: Bool, writable: Bool, hungUp: Bool)
}

/// The host side of the vsock device: it opens host streams for guest connections, accepts host clients
/// that want to reach guest ports, and tells the device which streams are ready.
///
/// Driving it: the VMM's event loop polls `pollDescriptor` for readability and then calls
/// `transport.withDevice(VsockDevice.self) { try $0.handleBackendEvents() }`.
public protocol VsockBackend: AnyObject {
    /// A descriptor that is readable whenever `pollEvents()` has something to report.
    var pollDescriptor: Int32 { get }
    /// Everything that happened since the last call; never blocks.
    func pollEvents() throws -> [VsockBackendEvent]
    /// A guest connects to host port `port`. Throws when nobody listens there (the device answers RST).
    func connect(toHostPort port: UInt32) throws -> any VsockHostStream
    /// Which readiness of `stream` to report from now on.
    func watch(_ stream: any VsockHostStream, readable: Bool, writable: Bool) throws
    /// Bytes to send the host client of a host-initiated connection once the guest accepted it.
    func establishedReply(hostPort: UInt32) -> [UInt8]
}
