/// The host side of a virtio-net device: Ethernet frames in and out. `TapBackend` is the real one.
public protocol NetBackend: AnyObject {
    /// Becomes readable when `receive(into:)` may return a frame (for the event loop's epoll set).
    var pollDescriptor: Int32 { get }
    /// Sends one frame from the guest; a full backend may drop it (as a NIC would), returning false.
    func send(_ frame: [UInt8]) throws -> Bool
    /// The next frame for the guest, or nil when none is waiting. Never blocks.
    func receive() throws -> [UInt8]?
}
