import Synchronization
import Virtio

/// An interrupt line that counts how often the device raised it.
public final class CountingInterrupt: InterruptLine {
    private let count = Atomic<Int>(0)

    public init() {}

    public func trigger() throws {
        count.wrappingAdd(1, ordering: .sequentiallyConsistent)
    }

    public var triggerCount: Int { count.load(ordering: .sequentiallyConsistent) }
}
