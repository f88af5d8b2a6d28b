import CKVM
import CLinux
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// The KVM system: an open `/dev/kvm`. It checks the API version, answers capability queries, reports the
/// CPUID the host can offer guests, and creates virtual machines.
public final class Kvm: @unchecked Sendable {
    public static let requiredApiVersion: Int32 = 12
    public let path: String
    let fd: Int32

    public init(path: String = "/dev/kvm") throws {
        self.path = path
        fd = try retryingOnInterrupt("open", path: path) { open(path, O_RDWR | O_CLOEXEC) }
        do {
            let version = try KvmIoctl.call(fd, CKVM_GET_API_VERSION, "KVM_GET_API_VERSION", on: path)
            guard version == Self.requiredApiVersion else { throw KvmError.unsupportedApiVersion(version) }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// `KVM_CHECK_EXTENSION`: 0 when the capability is absent, otherwise a capability-specific positive value.
    public func checkExtension(_ capability: Int32) -> Int32 {
        let result = clinux_ioctl_val(fd, CKVM_CHECK_EXTENSION, UInt(capability))
        return max(result, 0)
    }

    /// Throws `KvmError.missingCapability` unless every named capability is present.
    public func require(_ capabilities: [(Int32, String)]) throws {
        for (capability, name) in capabilities where checkExtension(capability) == 0 {
            throw KvmError.missingCapability(name)
        }
    }

    /// The capabilities the VMM cannot work without.
    public static let requiredCapabilities: [(Int32, String)] = [
        (KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY"),
        (KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP"),
        (KVM_CAP_IOEVENTFD, "KVM_CAP_IOEVENTFD"),
        (KVM_CAP_IRQFD, "KVM_CAP_IRQFD"),
        (KVM_CAP_PIT2, "KVM_CAP_PIT2"),
        (KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR"),
        (KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID"),
        (KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT"),
    ]

    /// The size of the shared `kvm_run` mapping of every vCPU.
    public func vcpuMmapSize() throws -> Int {
        Int(try KvmIoctl.call(fd, CKVM_GET_VCPU_MMAP_SIZE, "KVM_GET_VCPU_MMAP_SIZE", on: path))
    }

    /// The largest number of vCPUs one VM may have (`KVM_CAP_MAX_VCPUS`, falling back to the recommended count).
    public var maximumVcpus: Int {
        let maximum = checkExtension(KVM_CAP_MAX_VCPUS)
        return Int(maximum > 0 ? maximum : max(checkExtension(KVM_CAP_NR_VCPUS), 4))
    }

    /// `KVM_GET_SUPPORTED_CPUID`: every leaf the host can offer, as values (retrying with room for more
    /// entries while KVM answers E2BIG).
    public func supportedCpuid() throws -> [CpuidEntry] {
        var capacity = KvmEntryList<kvm_cpuid_entry2>.maximumCpuidEntries
        while true {
            let list = KvmEntryList<kvm_cpuid_entry2>(capacity: capacity, headerSize: Int(CKVM_CPUID2_HEADER_SIZE))
            do {
                try KvmIoctl.call(fd, CKVM_GET_SUPPORTED_CPUID, "KVM_GET_SUPPORTED_CPUID", on: path, buffer: list.raw)
                return list.cpuidEntries
            } catch let error as SystemError where error.errno == E2BIG && capacity < 4096 {
                capacity *= 2
            }
        }
    }

    public func createVirtualMachine() throws -> VirtualMachine {
        let vmFd = try KvmIoctl.call(fd, CKVM_CREATE_VM, "KVM_CREATE_VM", on: path)
        return VirtualMachine(fd: vmFd, kvm: self)
    }
}
