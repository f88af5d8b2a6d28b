import CKVM

/// An owned, zeroed buffer for KVM's variable-length structs (`kvm_cpuid2`, `kvm_msrs`): a header whose first
/// 32-bit field counts the entries, followed by `capacity` entries of a C struct type. All pointer work on
/// these structs happens here; callers see Swift values.
final class KvmEntryList<Entry> {
    let capacity: Int
    let headerSize: Int
    let raw: UnsafeMutableRawPointer

    init(capacity: Int, headerSize: Int) {
        precondition(capacity >= 0 && headerSize >= 8)
        self.capacity = capacity
        self.headerSize = headerSize
        let size = headerSize + capacity * MemoryLayout<Entry>.stride
        raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        count = UInt32(capacity)
    }

    deinit { raw.deallocate() }

    /// The header's entry count (`nent` / `nmsrs`), which KVM reads and may rewrite.
    var count: UInt32 {
        get { raw.load(as: UInt32.self) }
        set { raw.storeBytes(of: newValue, as: UInt32.self) }
    }

    subscript(i: Int) -> Entry {
        get {
            precondition(i >= 0 && i < capacity)
            return (raw + headerSize + i * MemoryLayout<Entry>.stride).load(as: Entry.self)
        }
        set {
            precondition(i >= 0 && i < capacity)
            (raw + headerSize + i * MemoryLayout<Entry>.stride).storeBytes(of: newValue, as: Entry.self)
        }
    }

    /// The entries KVM reported, bounded by the capacity even if the count says more.
    var validEntries: [Entry] {
        (0..<min(Int(count), capacity)).map { self[$0] }
    }
}

extension KvmEntryList where Entry == kvm_cpuid_entry2 {
    /// KVM's own limit for KVM_SET_CPUID2 (KVM_MAX_CPUID_ENTRIES).
    static let maximumCpuidEntries = 256

    convenience init(cpuid entries: [CpuidEntry]) throws {
        guard entries.count <= Self.maximumCpuidEntries else {
            throw KvmError.tooManyEntries(kind: "CPUID", count: entries.count, limit: Self.maximumCpuidEntries)
        }
        self.init(capacity: entries.count, headerSize: Int(CKVM_CPUID2_HEADER_SIZE))
        for (i, e) in entries.enumerated() {
            var c = kvm_cpuid_entry2()
            c.function = e.function
            c.index = e.index
            c.flags = e.flags
            c.eax = e.eax
            c.ebx = e.ebx
            c.ecx = e.ecx
            c.edx = e.edx
            self[i] = c
        }
    }

    var cpuidEntries: [CpuidEntry] {
        validEntries.map {
            CpuidEntry(function: $0.function, index: $0.index, flags: $0.flags,
                       eax: $0.eax, ebx: $0.ebx, ecx: $0.ecx, edx: $0.edx)
        }
    }
}

extension KvmEntryList where Entry == kvm_msr_entry {
    static let maximumMsrEntries = 256

    convenience init(msrs entries: [MsrEntry]) throws {
        guard entries.count <= Self.maximumMsrEntries else {
            throw KvmError.tooManyEntries(kind: "MSR", count: entries.count, limit: Self.maximumMsrEntries)
        }
        self.init(capacity: entries.count, headerSize: Int(CKVM_MSRS_HEADER_SIZE))
        for (i, e) in entries.enumerated() {
            var m = kvm_msr_entry()
            m.index = e.index
            m.data = e.value
            self[i] = m
        }
    }

    var msrEntries: [MsrEntry] {
        validEntries.map { MsrEntry(index: $0.index, value: $0.data) }
    }
}
