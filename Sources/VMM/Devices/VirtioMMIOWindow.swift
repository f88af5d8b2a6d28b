import Virtio

/// A virtio-mmio transport's 4 KiB register window on the MMIO bus.
public final class VirtioMMIOWindow: BusDevice, @unchecked Sendable {
    public let transport: MMIOTransport

    public init(transport: MMIOTransport) { self.transport = transport }

    public func read(offset: UInt64, count: Int) -> [UInt8] {
        let bytes = transport.read(offset: Int(offset), count: count)
        return bytes.count == count ? bytes : Array((bytes + [UInt8](repeating: 0, count: count)).prefix(count))
    }

    public func write(offset: UInt64, bytes: [UInt8]) {
        transport.write(offset: Int(offset), bytes: bytes)
    }
}
