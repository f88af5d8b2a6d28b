import CKVM
import LinuxSupport
import Virtio
#if canImport(Glibc)
import Glibc
#endif

/// A KVM virtual machine: owns the VM file descriptor, the guest memory it registered, and the in-kernel
/// interrupt controller and PIT; registers irqfds and ioeventfds; creates vCPUs.
public final class VirtualMachine: @unchecked Sendable {
    public let kvm: Kvm
    let fd: Int32
    private var nextSlot: UInt32 = 0
    /// Memory registered with KVM stays alive as long as the VM, whatever the caller does with its reference.
    private var registeredMemory: [GuestMemory] = []
    private let path = "kvm-vm"

    init(fd: Int32, kvm: Kvm) {
        self.fd = fd
        self.kvm = kvm
    }

    deinit { close(fd) }

    /// Registers every region of `memory` as guest-physical RAM (one memory slot per region).
    public func register(memory: GuestMemory) throws {
        for region in memory.regions {
            var description = kvm_userspace_memory_region()
            description.slot = nextSlot
            description.flags = 0
            description.guest_phys_addr = region.guestAddress
            description.memory_size = UInt64(region.size)
            description.userspace_addr = region.userspaceAddress
            try KvmIoctl.call(fd, CKVM_SET_USER_MEMORY_REGION, "KVM_SET_USER_MEMORY_REGION", on: path,
                              pointer: &description)
            nextSlot += 1
        }
        registeredMemory.append(memory)
    }

    /// x86 needs three pages of guest-physical space for the TSS of real-mode emulation, outside RAM and MMIO.
    public func setTssAddress(_ address: UInt64) throws {
        try KvmIoctl.call(fd, CKVM_SET_TSS_ADDR, "KVM_SET_TSS_ADDR", on: path, value: UInt(address))
    }

    /// One page for the EPT identity map, outside RAM and MMIO (must precede vCPU creation).
    public func setIdentityMapAddress(_ address: UInt64) throws {
        var value = address
        try KvmIoctl.call(fd, CKVM_SET_IDENTITY_MAP_ADDR, "KVM_SET_IDENTITY_MAP_ADDR", on: path, pointer: &value)
    }

    /// The in-kernel PIC pair + IOAPIC (+ per-vCPU LAPIC), then the in-kernel PIT (8254) with its speaker port.
    public func createInterruptControllerAndTimer() throws {
        try KvmIoctl.call(fd, CKVM_CREATE_IRQCHIP, "KVM_CREATE_IRQCHIP", on: path)
        var pit = kvm_pit_config()
        pit.flags = UInt32(KVM_PIT_SPEAKER_DUMMY)
        try KvmIoctl.call(fd, CKVM_CREATE_PIT2, "KVM_CREATE_PIT2", on: path, pointer: &pit)
    }

    /// Raises or lowers an interrupt line of the in-kernel irqchip directly (`KVM_IRQ_LINE`).
    public func setInterruptLine(_ gsi: UInt32, level: Bool) throws {
        var line = kvm_irq_level()
        line.irq = gsi
        line.level = level ? 1 : 0
        try KvmIoctl.call(fd, CKVM_IRQ_LINE, "KVM_IRQ_LINE", on: path, pointer: &line)
    }

    /// Makes every write to `eventFd` inject an edge on `gsi` (`KVM_IRQFD`).
    public func registerIrqfd(_ eventFd: EventFd, gsi: UInt32) throws {
        var irqfd = kvm_irqfd()
        irqfd.fd = UInt32(eventFd.descriptor)
        irqfd.gsi = gsi
        try KvmIoctl.call(fd, CKVM_IRQFD, "KVM_IRQFD", on: path, pointer: &irqfd)
    }

    /// Makes guest writes of `length` bytes to `address` signal `eventFd` instead of exiting to userspace
    /// (`KVM_IOEVENTFD`); `matching` restricts it to writes of that value (datamatch), `pio` to I/O ports.
    public func registerIoeventfd(_ eventFd: EventFd, address: UInt64, length: UInt32,
                                  matching value: UInt64? = nil, pio: Bool = false) throws {
        var ioeventfd = kvm_ioeventfd()
        ioeventfd.addr = address
        ioeventfd.len = length
        ioeventfd.fd = eventFd.descriptor
        var flags: UInt32 = 0
        if let value {
            ioeventfd.datamatch = value
            flags |= CKVM_IOEVENTFD_FLAG_DATAMATCH
        }
        if pio { flags |= CKVM_IOEVENTFD_FLAG_PIO }
        ioeventfd.flags = flags
        try KvmIoctl.call(fd, CKVM_IOEVENTFD, "KVM_IOEVENTFD", on: path, pointer: &ioeventfd)
    }

    /// Creates vCPU number `index` (its APIC ID) and maps its `kvm_run` area.
    public func createVcpu(index: Int) throws -> Vcpu {
        let vcpuFd = try KvmIoctl.call(fd, CKVM_CREATE_VCPU, "KVM_CREATE_VCPU", on: path, value: UInt(index))
        do {
            let size = try kvm.vcpuMmapSize()
            let mapping = try KvmRunMapping(vcpuFd: vcpuFd, size: size)
            return Vcpu(fd: vcpuFd, index: index, run: mapping)
        } catch {
            close(vcpuFd)
            throw error
        }
    }
}
