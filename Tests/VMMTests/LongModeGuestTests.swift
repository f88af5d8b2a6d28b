import CKVM
import Virtio
import XCTest
@testable import VMM

/// A hand-assembled 64-bit guest entered exactly as a Linux kernel would be: checks that the boot GDT,
/// page tables, control registers, MSRs and CPUID profile are accepted by KVM and really reach long mode.
final class LongModeGuestTests: XCTestCase {
    func testGuestEnteredThroughTheLinuxBootStateRunsIn64BitMode() throws {
        let kvm = try openKvmOrSkip()
        let vm = try kvm.createVirtualMachine()
        try vm.setTssAddress(X86Layout.tssAddress)
        try vm.createInterruptControllerAndTimer()
        let memory = try X86Boot.makeMemory(size: 32 << 20)
        try vm.register(memory: memory)
        let code: [UInt8] = [
            0x48, 0x89, 0xF0,                    // mov rax, rsi        (zero page address)
            0xE7, 0x84,                          // out 0x84, eax
            0xB8, 0x00, 0x00, 0x00, 0xD0,        // mov eax, 0xd0000000 (zero-extended: MMIO gap)
            0xC6, 0x00, 0x42,                    // mov byte [rax], 0x42
            0x48, 0x8B, 0x18,                    // mov rbx, [rax]      (64-bit MMIO read)
            0x48, 0x89, 0xD8,                    // mov rax, rbx
            0x48, 0xC1, 0xE8, 0x20,              // shr rax, 32         (only works in 64-bit mode)
            0xE7, 0x88,                          // out 0x88, eax
            0xB0, 0xFE, 0xE6, 0x64,              // mov al, 0xfe; out 0x64, al (i8042 reset)
            0xF4,                                // hlt
        ]
        let kernel = SyntheticKernelImages.elf(entry: 0x100000, segments: [.init(physicalAddress: 0x100000, data: code, memorySize: 0x1000)])
        let loaded = try X86Boot.load(kernel: .init(path: "test", bytes: kernel), initrd: nil,
                                      commandLine: KernelCommandLine(["console=ttyS0"]), vcpuCount: 1, memory: memory)
        let vcpu = try vm.createVcpu(index: 0)
        let profile = CpuidProfile.detect(pvmModulePresent: false, cpuinfo: "")
        try vcpu.configureForLinuxBoot(entry: loaded.entryAddress,
                                       cpuid: profile.entries(from: kvm.supportedCpuid(), vcpuIndex: 0, vcpuCount: 1))
        func next() throws -> VcpuExit {
            while true { let e = try vcpu.run(); if e != .interrupted { return e } }
        }
        XCTAssertEqual(try next(), .ioOut(port: 0x84, size: 4, data: [0x00, 0x70, 0, 0]))
        XCTAssertEqual(try next(), .mmioWrite(address: 0xd000_0000, data: [0x42]))
        XCTAssertEqual(try next(), .mmioRead(address: 0xd000_0000, size: 8))
        try vcpu.completeMmioRead([1, 2, 3, 4, 0x11, 0x22, 0x33, 0x44])
        XCTAssertEqual(try next(), .ioOut(port: 0x88, size: 4, data: [0x11, 0x22, 0x33, 0x44]))
        XCTAssertEqual(try next(), .ioOut(port: 0x64, size: 1, data: [0xfe]))
        let sregs = try vcpu.specialRegisters()
        XCTAssertEqual(sregs.efer & 0x400, 0x400, "long mode active")
    }
}
