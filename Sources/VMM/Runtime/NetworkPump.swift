import Virtio

/// Moves frames from a tap into a virtio-net device on the event loop thread. The tap is watched only while
/// the device can take a frame: with no receive buffers posted, a readable tap would wake the (level-
/// triggered) loop forever, so it leaves the epoll set until the guest notifies its receive queue.
final class NetworkPump {
    private let loop: EventLoop
    private let descriptor: Int32
    var transport: MMIOTransport?
    private var watching = false

    init(loop: EventLoop, descriptor: Int32) {
        self.loop = loop
        self.descriptor = descriptor
    }

    /// Called on the event loop thread (tap readable, receive queue notified) and once at assembly.
    func rearm() {
        guard let transport else { return }
        let wants = transport.withDevice(NetDevice.self) { $0.wantsBackendInput } ?? false
        if wants && !watching {
            watching = (try? loop.add(descriptor) { [weak self] in self?.pump() }) != nil
        } else if !wants && watching {
            loop.remove(descriptor)
            watching = false
        }
    }

    private func pump() {
        _ = transport?.withDevice(NetDevice.self) { try $0.receiveFromBackend() }
        rearm()
    }
}
