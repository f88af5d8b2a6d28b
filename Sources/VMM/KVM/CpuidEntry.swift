/// One CPUID leaf/subleaf result as KVM reports and accepts it (`struct kvm_cpuid_entry2`), as a value type.
public struct CpuidEntry: Equatable, Sendable {
    public var function: UInt32
    public var index: UInt32
    public var flags: UInt32
    public var eax: UInt32
    public var ebx: UInt32
    public var ecx: UInt32
    public var edx: UInt32

    public init(function: UInt32, index: UInt32 = 0, flags: UInt32 = 0,
                eax: UInt32 = 0, ebx: UInt32 = 0, ecx: UInt32 = 0, edx: UInt32 = 0) {
        self.function = function
        self.index = index
        self.flags = flags
        self.eax = eax
        self.ebx = ebx
        self.ecx = ecx
        self.edx = edx
    }

    /// Register selector for feature-bit edits.
    public enum Register: Sendable { case eax, ebx, ecx, edx }

    public subscript(register: Register) -> UInt32 {
        get {
            switch register {
            case .eax: return eax
            case .ebx: return ebx
            case .ecx: return ecx
            case .edx: return edx
            }
        }
        set {
            switch register {
            case .eax: eax = newValue
            case .ebx: ebx = newValue
            case .ecx: ecx = newValue
            case .edx: edx = newValue
            }
        }
    }
}
