import Virtio

/// An `InterruptLine` wired to a guest IRQ through KVM's irqfd: triggering writes the eventfd and the
/// in-kernel irqchip injects an edge on the GSI, without the VMM touching the vCPUs.
public final class IrqfdInterruptLine: InterruptLine, @unchecked Sendable {
    public let gsi: UInt32
    let eventFd: EventFd

    public init(vm: VirtualMachine, gsi: UInt32) throws {
        self.gsi = gsi
        eventFd = try EventFd()
        try vm.registerIrqfd(eventFd, gsi: gsi)
    }

    public func trigger() throws { try eventFd.signal() }
}
