/// Hides the CPU's own virtualization extensions from the guest, so that a pod is not offered nested
/// virtualization (a guest hypervisor inside the micro-VM widens what the host's KVM has to get right) unless
/// asked for (`rkt-vmm --nested-virtualization`). As Firecracker's CPUID normalization does: Intel VMX
/// (CPUID.1:ECX bit 5), AMD SVM (CPUID.80000001h:ECX bit 2) and the SVM feature leaf 8000000Ah (revision,
/// ASID count, NPT, nested-paging-related features), which describes SVM and means nothing without it.
/// KVM then also refuses the guest's VMXON / EFER.SVME, since it checks the guest's CPUID for them.
public enum NestedVirtualizationMask {
    static let vmxLeaf: UInt32 = 1
    static let vmxBit: UInt32 = 5
    static let svmLeaf: UInt32 = 0x8000_0001
    static let svmBit: UInt32 = 2
    static let svmFeatureLeaf: UInt32 = 0x8000_000a

    /// `entry` with VMX, SVM and the SVM feature leaf cleared; every other entry unchanged.
    public static func apply(to entry: CpuidEntry) -> CpuidEntry {
        var entry = entry
        switch entry.function {
        case vmxLeaf:
            entry.ecx &= ~(UInt32(1) << vmxBit)
        case svmLeaf:
            entry.ecx &= ~(UInt32(1) << svmBit)
        case svmFeatureLeaf:
            entry.eax = 0; entry.ebx = 0; entry.ecx = 0; entry.edx = 0
        default:
            break
        }
        return entry
    }
}
