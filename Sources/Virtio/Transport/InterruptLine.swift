/// The wire from a virtio device to the guest's interrupt controller. The VMM implements it with an irqfd
/// (a write to an eventfd that KVM turns into a guest interrupt); tests count the calls.
public protocol InterruptLine: AnyObject, Sendable {
    /// Raises the device's interrupt once. Must be safe to call from any thread.
    func trigger() throws
}
