/// Which CPUID the guest sees. `passthrough` offers what KVM supports; `conservative` is for hosts whose
/// /dev/kvm has no VMX/SVM (PVM): the guest kernel's CPL0 code is instruction-emulated there, and the emulator
/// rejects SMAP's CLAC/STAC, POPCNT, the XSAVE family, SIMD extensions and several newer instructions, so
/// the features that make the kernel use them are hidden (see shared/notes/kvm-on-this-host.md). It also hides
/// ERMS and FSRM: the emulator executes a REP string instruction one iteration at a time, so the kernel's
/// byte-wise `rep movsb`/`rep stosb` variants (memcpy, memset, clear_page, copy_to/from_user) cost eight times the
/// iterations of the `rep movsq`/`rep stosq` ones it picks without them (IA32_MISC_ENABLE keeps fast strings on:
/// REP_GOOD). Measured in a guest: an 8 MiB tmpfs write 15.4 s → 6.4 s, reading it back 9.8 s → 2.1 s.
public enum CpuidProfile: String, Equatable, Sendable {
    case passthrough
    case conservative

    /// Kernel parameters the VMM adds in the conservative profile: `rkt_pvm=1` switches on our guest-kernel
    /// patch (kernel/: SYSCALL-as-page-fault handling, skipped INT3 self-test and FWAIT), `noxsave` keeps the
    /// kernel off XSAVE even where a CPUID bit slipped through (x86 reads it from the raw command line, so the
    /// kernel also lists it as unknown and init sees it in its arguments), `rodata=off` spares the emulated
    /// kernel about 5 s of page-table rewriting at boot (it weakens only the guest kernel's own hardening,
    /// not the VM boundary; kernel/README.md). Two more only save emulated boot work (docs/vmm.md, boot time):
    /// `percpu_alloc=page` maps the per-CPU area page by page instead of carving it from a 2 MiB block
    /// (~0.6 s less), `clocksource=kvm-clock` keeps the clocksource the kernel starts with instead of switching
    /// to the TSC at device-initcall time (~0.2–0.4 s less; kvm-clock serves the vDSO here, 28 ns a call).
    public static let conservativeKernelParameters = [
        "rkt_pvm=1", "noxsave", "rodata=off", "percpu_alloc=page", "clocksource=kvm-clock",
    ]

    public var kernelParameters: [String] { self == .conservative ? Self.conservativeKernelParameters : [] }

    /// Conservative when the host's KVM is PVM (`/sys/module/kvm_pvm` exists) or its CPU flags (from
    /// /proc/cpuinfo) lack both vmx and svm.
    public static func detect(pvmModulePresent: Bool, cpuinfo: String) -> CpuidProfile {
        if pvmModulePresent { return .conservative }
        let flagLines = cpuinfo.split(separator: "\n").filter { $0.hasPrefix("flags") }
        guard let first = flagLines.first else { return .conservative }
        let flags = Set(first.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        return flags.contains("vmx") || flags.contains("svm") ? .passthrough : .conservative
    }

    /// A feature bit in one register of one CPUID leaf (subleaf 0 unless stated).
    struct Feature {
        let name: String
        let function: UInt32
        let index: UInt32
        let register: CpuidEntry.Register
        let bit: UInt32
    }

    /// Everything the conservative profile hides, by name (Intel SDM / Linux cpufeatures.h bit numbers).
    static let hiddenFeatures: [Feature] = {
        var list: [Feature] = []
        func hide(_ function: UInt32, _ index: UInt32, _ register: CpuidEntry.Register, _ bits: [(String, UInt32)]) {
            list += bits.map { Feature(name: $0.0, function: function, index: index, register: register, bit: $0.1) }
        }
        hide(1, 0, .ecx, [("pclmulqdq", 1), ("ssse3", 9), ("fma", 12), ("pcid", 17), ("sse4_1", 19), ("sse4_2", 20),
                          ("movbe", 22), ("popcnt", 23), ("aes", 25), ("xsave", 26), ("osxsave", 27), ("avx", 28),
                          ("f16c", 29), ("rdrand", 30)])
        hide(7, 0, .ebx, [("fsgsbase", 0), ("bmi1", 3), ("hle", 4), ("avx2", 5), ("smep", 7), ("bmi2", 8),
                          ("erms", 9), ("invpcid", 10), ("rtm", 11), ("mpx", 14), ("avx512f", 16), ("avx512dq", 17), ("rdseed", 18),
                          ("adx", 19), ("smap", 20), ("avx512ifma", 21), ("clflushopt", 23), ("clwb", 24),
                          ("avx512pf", 26), ("avx512er", 27), ("avx512cd", 28), ("sha_ni", 29), ("avx512bw", 30),
                          ("avx512vl", 31)])
        hide(7, 0, .ecx, [("avx512vbmi", 1), ("umip", 2), ("pku", 3), ("ospke", 4), ("waitpkg", 5), ("avx512_vbmi2", 6),
                          ("shstk", 7), ("gfni", 8), ("vaes", 9), ("vpclmulqdq", 10), ("avx512_vnni", 11),
                          ("avx512_bitalg", 12), ("avx512_vpopcntdq", 14), ("la57", 16), ("rdpid", 22),
                          ("movdiri", 27), ("movdir64b", 28)])
        hide(7, 0, .edx, [("avx512_4vnniw", 2), ("avx512_4fmaps", 3), ("fsrm", 4), ("md_clear", 10), ("serialize", 14),
                          ("tsxldtrk", 16), ("ibt", 20), ("amx_bf16", 22), ("avx512_fp16", 23), ("amx_tile", 24),
                          ("amx_int8", 25), ("spec_ctrl", 26), ("intel_stibp", 27), ("flush_l1d", 28),
                          ("arch_capabilities", 29), ("core_capabilities", 30), ("spec_ctrl_ssbd", 31)])
        hide(0x8000_0001, 0, .ecx, [("abm", 5), ("sse4a", 6), ("xop", 11), ("fma4", 16), ("tbm", 21)])
        // KVM paravirtual features that work by VMCALL hypercalls, which the PVM host does not serve: with
        // PV IPIs and PV spinlock kicks the guest spins forever bringing up a second vCPU.
        hide(0x4000_0001, 0, .eax, [("kvm_pv_unhalt", 7), ("kvm_pv_tlb_flush", 9), ("kvm_pv_send_ipi", 11),
                                    ("kvm_pv_sched_yield", 13)])
        return list
    }()

    /// Leaves whose whole content is dropped in the conservative profile: XSAVE state (0xd), Intel PT (0x14),
    /// AMX (0x1d, 0x1e), and leaf 7 subleaf 1 (AVX-VNNI, AVX512-BF16, ...).
    static func isClearedLeaf(_ entry: CpuidEntry) -> Bool {
        [0xd, 0x14, 0x1d, 0x1e].contains(entry.function) || (entry.function == 7 && entry.index == 1)
    }

    /// The CPUID for vCPU `index` of `count`: the profile's filtering plus per-vCPU topology (APIC ID in
    /// leaf 1 EBX[31:24] and leaf 0xb/0x1f EDX, logical count in leaf 1 EBX[23:16]) and the hypervisor bit.
    /// In every profile VMX and SVM are hidden (`NestedVirtualizationMask`) unless `nestedVirtualization`.
    public func entries(from supported: [CpuidEntry], vcpuIndex index: Int, vcpuCount count: Int,
                        nestedVirtualization: Bool = false) -> [CpuidEntry] {
        supported.map { original in
            var entry = nestedVirtualization ? original : NestedVirtualizationMask.apply(to: original)
            if self == .conservative {
                if Self.isClearedLeaf(entry) {
                    entry.eax = 0; entry.ebx = 0; entry.ecx = 0; entry.edx = 0
                }
                for feature in Self.hiddenFeatures where feature.function == entry.function && feature.index == entry.index {
                    entry[feature.register] &= ~(UInt32(1) << feature.bit)
                }
            }
            switch entry.function {
            case 1:
                entry.ebx = (entry.ebx & 0x0000_ffff) | UInt32(index & 0xff) << 24 | UInt32(min(count, 255)) << 16
                entry.ecx |= 1 << 31  // running under a hypervisor
                if count > 1 { entry.edx |= 1 << 28 } else { entry.edx &= ~(UInt32(1) << 28) }  // HTT
            case 0xb, 0x1f:
                entry.edx = UInt32(index)
            default:
                break
            }
            return entry
        }
    }
}
