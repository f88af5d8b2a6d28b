import XCTest
@testable import VMM

final class CpuidProfileTests: XCTestCase {
    let supported = [
        CpuidEntry(function: 0, eax: 0xd),
        CpuidEntry(function: 1, ebx: 0x0001_0800, ecx: 0x7ffa_3203 | (1 << 23) | (1 << 26) | (1 << 28), edx: 0x178b_fbff),
        CpuidEntry(function: 7, index: 0, ebx: (1 << 20) | (1 << 10) | (1 << 9) | (1 << 7), edx: (1 << 29) | (1 << 4)),
        CpuidEntry(function: 7, index: 1, eax: 0x30),
        CpuidEntry(function: 0xb, index: 0, eax: 1, ebx: 1, ecx: 0x100),
        CpuidEntry(function: 0xd, index: 0, eax: 7, ebx: 0x340, ecx: 0x340),
        CpuidEntry(function: 0x8000_0001, ecx: (1 << 5) | 1, edx: 1 << 29),
        CpuidEntry(function: 0x4000_0001, eax: (1 << 0) | (1 << 3) | (1 << 7) | (1 << 9) | (1 << 11) | (1 << 13)),
    ]

    func testDetection() {
        XCTAssertEqual(CpuidProfile.detect(pvmModulePresent: true, cpuinfo: "flags\t: fpu vmx"), .conservative)
        XCTAssertEqual(CpuidProfile.detect(pvmModulePresent: false, cpuinfo: "processor\t: 0\nflags\t\t: fpu vme vmx sse\n"), .passthrough)
        XCTAssertEqual(CpuidProfile.detect(pvmModulePresent: false, cpuinfo: "flags\t\t: fpu svm\n"), .passthrough)
        XCTAssertEqual(CpuidProfile.detect(pvmModulePresent: false, cpuinfo: "flags\t\t: fpu vme sse svm_lock\n"), .conservative)
        XCTAssertEqual(CpuidProfile.detect(pvmModulePresent: false, cpuinfo: ""), .conservative)
    }

    func testConservativeProfileHidesWhatTheEmulatorRejects() throws {
        let out = CpuidProfile.conservative.entries(from: supported, vcpuIndex: 0, vcpuCount: 1)
        let leaf1 = try XCTUnwrap(out.first { $0.function == 1 })
        XCTAssertEqual(leaf1.ecx & (1 << 23), 0, "POPCNT")
        XCTAssertEqual(leaf1.ecx & (1 << 26), 0, "XSAVE")
        XCTAssertEqual(leaf1.ecx & (1 << 28), 0, "AVX")
        XCTAssertEqual(leaf1.ecx & (1 << 17), 0, "PCID")
        XCTAssertNotEqual(leaf1.ecx & 1, 0, "SSE3 stays")
        XCTAssertEqual(leaf1.edx, 0x178b_fbff & ~(UInt32(1) << 28), "base features stay; HTT off for one vCPU")
        let leaf7 = try XCTUnwrap(out.first { $0.function == 7 && $0.index == 0 })
        XCTAssertEqual(leaf7.ebx & ((1 << 20) | (1 << 10) | (1 << 7)), 0, "SMAP, INVPCID, SMEP")
        XCTAssertEqual(leaf7.ebx & (1 << 9), 0, "ERMS: byte-wise REP strings cost 8x the emulated iterations")
        XCTAssertEqual(leaf7.edx, 0, "ARCH_CAPABILITIES and FSRM hidden")
        XCTAssertEqual(out.first { $0.function == 7 && $0.index == 1 }?.eax, 0)
        XCTAssertEqual(out.first { $0.function == 0xd }, CpuidEntry(function: 0xd))
        XCTAssertEqual(out.first { $0.function == 0x8000_0001 }?.ecx, 1, "LZCNT hidden, LAHF stays")
        XCTAssertEqual(out.first { $0.function == 0x4000_0001 }?.eax, (1 << 0) | (1 << 3),
                       "kvmclock stays; hypercall-based PV unhalt, TLB flush, send-IPI and sched-yield are hidden")
        XCTAssertEqual(CpuidProfile.conservative.kernelParameters, ["rkt_pvm=1", "noxsave", "rodata=off", "percpu_alloc=page", "clocksource=kvm-clock"])
    }

    func testPassthroughKeepsFeaturesAndSetsTopology() throws {
        let out = CpuidProfile.passthrough.entries(from: supported, vcpuIndex: 3, vcpuCount: 4)
        let leaf1 = try XCTUnwrap(out.first { $0.function == 1 })
        XCTAssertNotEqual(leaf1.ecx & (1 << 23), 0)
        XCTAssertEqual(leaf1.ebx >> 24, 3, "APIC ID")
        XCTAssertEqual((leaf1.ebx >> 16) & 0xff, 4, "logical processors")
        XCTAssertEqual(leaf1.ebx & 0xffff, 0x0800, "CLFLUSH line size kept")
        XCTAssertNotEqual(leaf1.ecx & (1 << 31), 0, "hypervisor bit")
        XCTAssertNotEqual(leaf1.edx & (1 << 28), 0, "HTT with several vCPUs")
        XCTAssertEqual(out.first { $0.function == 0xb }?.edx, 3, "x2APIC ID")
        XCTAssertEqual(out.first { $0.function == 7 && $0.index == 0 }?.ebx, supported[2].ebx)
        XCTAssertEqual(CpuidProfile.passthrough.kernelParameters, [])
    }

    let virtualizationCapable = [
        CpuidEntry(function: 1, ecx: (1 << 5) | (1 << 0)),
        CpuidEntry(function: 0x8000_0001, ecx: (1 << 2) | (1 << 0), edx: 1 << 29),
        CpuidEntry(function: 0x8000_000a, eax: 1, ebx: 0x8000, edx: (1 << 0) | (1 << 3)),
        CpuidEntry(function: 0x8000_0008, eax: 0x3030),
    ]

    func testVMXAndSVMAreHiddenInEveryProfileByDefault() throws {
        for profile in [CpuidProfile.passthrough, .conservative] {
            let out = profile.entries(from: virtualizationCapable, vcpuIndex: 0, vcpuCount: 2)
            let leaf1 = try XCTUnwrap(out.first { $0.function == 1 })
            XCTAssertEqual(leaf1.ecx & (1 << 5), 0, "VMX hidden (\(profile))")
            XCTAssertNotEqual(leaf1.ecx & 1, 0, "SSE3 stays (\(profile))")
            let extended = try XCTUnwrap(out.first { $0.function == 0x8000_0001 })
            XCTAssertEqual(extended.ecx, 1, "SVM hidden, LAHF stays (\(profile))")
            XCTAssertEqual(extended.edx, 1 << 29, "long mode stays (\(profile))")
            XCTAssertEqual(out.first { $0.function == 0x8000_000a }, CpuidEntry(function: 0x8000_000a),
                           "SVM feature leaf cleared (\(profile))")
            XCTAssertEqual(out.first { $0.function == 0x8000_0008 }?.eax, 0x3030, "address sizes untouched (\(profile))")
        }
    }

    func testNestedVirtualizationKeepsVMXAndSVMWhenAskedFor() throws {
        let out = CpuidProfile.passthrough.entries(from: virtualizationCapable, vcpuIndex: 0, vcpuCount: 1,
                                                   nestedVirtualization: true)
        XCTAssertNotEqual(try XCTUnwrap(out.first { $0.function == 1 }).ecx & (1 << 5), 0, "VMX")
        XCTAssertEqual(out.first { $0.function == 0x8000_0001 }?.ecx, (1 << 2) | 1, "SVM")
        XCTAssertEqual(out.first { $0.function == 0x8000_000a }, virtualizationCapable[2], "SVM feature leaf")
    }

    func testMaskLeavesOtherLeavesAndSubleavesAlone() {
        let other = CpuidEntry(function: 7, index: 0, ebx: 0xffff_ffff, ecx: 0xffff_ffff)
        XCTAssertEqual(NestedVirtualizationMask.apply(to: other), other)
        let allOnes = CpuidEntry(function: 1, eax: 0xffff_ffff, ebx: 0xffff_ffff, ecx: 0xffff_ffff, edx: 0xffff_ffff)
        XCTAssertEqual(NestedVirtualizationMask.apply(to: allOnes).ecx, ~(UInt32(1) << 5))
        XCTAssertEqual(NestedVirtualizationMask.apply(to: allOnes).edx, 0xffff_ffff)
    }
}
