import LinuxSupport
import XCTest
@testable import VMM
#if canImport(Glibc)
import Glibc
#endif

/// Whole machines (KVM + devices + event loop + vCPU threads) running hand-assembled 64-bit "kernels" that
/// talk to the serial port and end the VM through the i8042 reset, as a Linux guest with reboot=k does.
final class MicroVMTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/vmm-test-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw SystemError.current("mkdtemp") }
        directory = String(cString: template)
    }

    override func tearDown() {
        if !directory.isEmpty { _ = system("rm -rf '\(directory)'") }
    }

    private func writeKernel(_ code: [UInt8]) throws -> String {
        let image = SyntheticKernelImages.elf(entry: 0x1000000, segments: [.init(physicalAddress: 0x1000000, data: code, memorySize: 0x1000)])
        let path = directory + "/vmlinux"
        try AtomicFile.write(image, to: path)
        return path
    }

    /// Writes `text` to COM1 byte by byte, then `tail`.
    private func serialWriter(_ text: String, then tail: [UInt8]) -> [UInt8] {
        var code: [UInt8] = [0x66, 0xBA, 0xF8, 0x03]  // mov dx, 0x3f8
        for byte in text.utf8 { code += [0xB0, byte, 0xEE] }  // mov al, byte; out dx, al
        return code + tail
    }

    private func run(_ code: [UInt8], vcpus: Int = 1,
                     configure: (inout MachineConfiguration) -> Void = { _ in }) throws -> (MachineExit, String, MicroVM) {
        let kvm = try openKvmOrSkip()
        var pipeFds: [Int32] = [0, 0]
        guard pipe(&pipeFds) == 0 else { throw SystemError.current("pipe") }
        defer { close(pipeFds[0]) }
        var configuration = MachineConfiguration(kernelPath: try writeKernel(code))
        configuration.memorySize = 64 << 20
        configuration.vcpuCount = vcpus
        configuration.consoleDescriptor = pipeFds[1]
        configure(&configuration)
        let machine = try MicroVM(configuration: configuration, kvm: kvm)
        let exit = try machine.run()
        close(pipeFds[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let n = read(pipeFds[0], &buffer, buffer.count), n > 0 { output += buffer.prefix(n) }
        return (exit, String(decoding: output, as: UTF8.self), machine)
    }

    func testSerialOutputAndI8042ResetEndTheMachineCleanly() throws {
        let reset: [UInt8] = [0xB0, 0xFE, 0xE6, 0x64, 0xF4, 0xEB, 0xFD]  // mov al,0xfe; out 0x64,al; hlt; jmp $-3
        let (exit, output, machine) = try run(serialWriter("hello\n", then: reset))
        XCTAssertEqual(exit, .guestReset)
        XCTAssertEqual(exit.status, 0)
        XCTAssertEqual(output, "hello\n")
        XCTAssertThrowsError(try machine.run()) { XCTAssertEqual($0 as? MicroVMError, .alreadyRan) }
        XCTAssertTrue(machine.commandLine.text.hasPrefix("console=ttyS0 reboot=k"))
        XCTAssertTrue(machine.commandLine.text.contains(" quiet"))
    }

    func testGuestProfileSamplesTheLoopTheGuestSpendsItsTimeIn() throws {
        // mov ecx, 1 << 22; 1: dec ecx; jnz 1b (at 0x1000005..0x1000008); then the i8042 reset.
        let loop: [UInt8] = [0xB9, 0x00, 0x00, 0x40, 0x00, 0xFF, 0xC9, 0x75, 0xFC]
        let reset: [UInt8] = [0xB0, 0xFE, 0xE6, 0x64, 0xF4, 0xEB, 0xFD]
        let path = directory + "/profile"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.current("open", path: path) }
        let (exit, _, _) = try run(loop + reset) { $0.guestProfile = .init(descriptor: fd, intervalMicroseconds: 100) }
        close(fd)
        XCTAssertEqual(exit, .guestReset)

        let lines = String(decoding: try HostFile.read(path, limit: 1 << 20), as: UTF8.self).split(separator: "\n")
        let header = try XCTUnwrap(lines.first)
        XCTAssertTrue(header.hasPrefix("# rkt-vmm guest profile: ") && header.hasSuffix(" samples, one per vCPU every 100 us"), String(header))
        let rows = lines.dropFirst().map { $0.split(separator: " ") }
        let counts = rows.map { Int($0[0]) ?? -1 }
        let addresses = rows.map { UInt64($0[1].dropFirst(2), radix: 16) ?? 0 }
        XCTAssertTrue(rows.allSatisfy { $0.count == 2 && $0[1].hasPrefix("0x") }, "COUNT 0xADDRESS lines")
        XCTAssertEqual(counts, counts.sorted(by: >), "most frequent first")
        let total = counts.reduce(0, +)
        XCTAssertEqual(header, "# rkt-vmm guest profile: \(total) samples, one per vCPU every 100 us")
        XCTAssertGreaterThan(total, 0, "the guest ran its loop for milliseconds at least")
        let inLoop = zip(addresses, counts).filter { (0x1000005...0x1000008).contains($0.0) }.map(\.1).reduce(0, +)
        XCTAssertGreaterThanOrEqual(inLoop * 10, total * 9, "nearly every sample is in the loop: \(Array(zip(addresses, counts)))")
    }

    func testResetEndsAMachineWithSeveralVcpus() throws {
        let reset: [UInt8] = [0xB0, 0xFE, 0xE6, 0x64, 0xEB, 0xFE]  // ...; jmp $
        let (exit, output, _) = try run(serialWriter("smp\n", then: reset), vcpus: 2)
        XCTAssertEqual(exit, .guestReset)
        XCTAssertEqual(output, "smp\n")
    }

    func testUnsupportedInstructionIsReportedAsAFailure() throws {
        // A fault with no IDT escalates to a triple fault (or an emulation failure on PVM hosts).
        let (exit, _, _) = try run([0x0F, 0x0B])  // ud2
        XCTAssertNotEqual(exit.status, 0, exit.summary)
    }

    func testSerialLineStatusAndScratchAreVisibleToTheGuest() throws {
        let code: [UInt8] = [
            0x66, 0xBA, 0xFF, 0x03,  // mov dx, 0x3ff (scratch)
            0xB0, 0x5A, 0xEE,        // mov al, 0x5a; out dx, al
            0xEC,                    // in al, dx
            0xE6, 0x80,              // out 0x80, al (sink)
            0x66, 0xBA, 0xF8, 0x03,  // mov dx, 0x3f8
            0xEE,                    // out dx, al  -> prints the scratch value read back ('Z')
            0x66, 0xBA, 0xFD, 0x03,  // mov dx, 0x3fd (LSR)
            0xEC,                    // in al, dx
            0x24, 0x60,              // and al, 0x60
            0x04, 0x10,              // add al, 0x10   -> 0x70 'p' when THRE|TEMT
            0x66, 0xBA, 0xF8, 0x03,  // mov dx, 0x3f8
            0xEE,                    // out dx, al
            0xB0, 0xFE, 0xE6, 0x64, 0xEB, 0xFE,
        ]
        let (exit, output, _) = try run(code)
        XCTAssertEqual(exit, .guestReset)
        XCTAssertEqual(output, "Zp")
    }

    func testVirtioDisksAndConsoleGetWindowsIrqsAndKernelParameters() throws {
        let kvm = try openKvmOrSkip()
        let disk = directory + "/disk.img"
        try AtomicFile.write([UInt8](repeating: 0, count: 1 << 20), to: disk)
        var configuration = MachineConfiguration(kernelPath: try writeKernel([0xF4]))
        configuration.memorySize = 64 << 20
        configuration.disks = [.init(path: disk, readOnly: true), .init(path: disk, readOnly: false)]
        configuration.consoleDevice = .virtio
        configuration.extraCommandLine = "init=/init"
        let machine = try MicroVM(configuration: configuration, kvm: kvm)
        let text = machine.commandLine.text
        XCTAssertTrue(text.hasPrefix("console=hvc0 reboot=k"), text)
        XCTAssertTrue(text.contains("virtio_mmio.device=4K@0xd0000000:5 virtio_mmio.device=4K@0xd0001000:6 virtio_mmio.device=4K@0xd0002000:7 init=/init"), text)
        XCTAssertTrue(text.contains("rkt_pvm=1") == (machine.profile == .conservative))
        func register(_ address: UInt64) -> UInt32? {
            machine.mmioBus.read(address: address, count: 4).map { $0.loadLE(UInt32.self, at: 0) }
        }
        XCTAssertEqual(register(0xd000_0000), 0x7472_6976, "magic")
        XCTAssertEqual(register(0xd000_0008), 2, "block device")
        XCTAssertEqual(register(0xd000_1008), 2, "block device")
        XCTAssertEqual(register(0xd000_2008), 3, "console device")
        XCTAssertNil(register(0xd000_3000))
        XCTAssertNotNil(machine.virtioConsole)
    }

    func testMissingKernelIsNamedInTheError() throws {
        let kvm = try openKvmOrSkip()
        var configuration = MachineConfiguration(kernelPath: directory + "/no-such-kernel")
        configuration.memorySize = 32 << 20
        XCTAssertThrowsError(try MicroVM(configuration: configuration, kvm: kvm)) {
            XCTAssertEqual("\($0)", "open \(self.directory)/no-such-kernel: No such file or directory")
        }
    }

    func testStopFromAnotherThreadInterruptsSpinningVcpus() throws {
        let kvm = try openKvmOrSkip()
        var pipeFds: [Int32] = [0, 0]
        guard pipe(&pipeFds) == 0 else { throw SystemError.current("pipe") }
        defer { close(pipeFds[0]); close(pipeFds[1]) }
        // Print one byte, then spin in the guest forever.
        var configuration = MachineConfiguration(kernelPath: try writeKernel(serialWriter("x", then: [0xEB, 0xFE])))
        configuration.memorySize = 32 << 20
        configuration.vcpuCount = 2
        configuration.consoleDescriptor = pipeFds[1]
        let machine = try MicroVM(configuration: configuration, kvm: kvm)
        let readEnd = pipeFds[0]
        let stopper = try HostThread(name: "stopper") {
            var byte: UInt8 = 0
            _ = read(readEnd, &byte, 1)  // the guest is running once its byte arrives
            machine.stop()
        }
        XCTAssertEqual(try machine.run(), .stopped)
        stopper.join()
    }

    func testInputDescriptorFeedsTheSerialPort() throws {
        let kvm = try openKvmOrSkip()
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw SystemError.current("pipe") }
        defer { close(input[0]); close(output[0]) }
        let code: [UInt8] = [
            0x66, 0xBA, 0xFD, 0x03,  // mov dx, 0x3fd (LSR)
            0xEC,                    // wait: in al, dx
            0xA8, 0x01,              // test al, 1 (data ready)
            0x74, 0xFB,              // jz wait
            0x66, 0xBA, 0xF8, 0x03,  // mov dx, 0x3f8
            0xEC,                    // in al, dx (RBR)
            0x04, 0x01,              // add al, 1
            0xEE,                    // out dx, al (echo the successor)
            0xB0, 0xFE, 0xE6, 0x64, 0xEB, 0xFE,
        ]
        var configuration = MachineConfiguration(kernelPath: try writeKernel(code))
        configuration.memorySize = 32 << 20
        configuration.consoleDescriptor = output[1]
        configuration.inputDescriptor = input[0]
        let machine = try MicroVM(configuration: configuration, kvm: kvm)
        var key: UInt8 = 0x61
        XCTAssertEqual(write(input[1], &key, 1), 1)
        close(input[1])
        XCTAssertEqual(try machine.run(), .guestReset)
        close(output[1])
        var echoed: UInt8 = 0
        XCTAssertEqual(read(output[0], &echoed, 1), 1)
        XCTAssertEqual(echoed, 0x62)
    }

    func testMemoryAboveTheMmioGapIsASecondSlotAndInTheMemoryMap() throws {
        let kvm = try openKvmOrSkip()
        var configuration = MachineConfiguration(kernelPath: try writeKernel([0xF4]))
        configuration.memorySize = (4 << 30) + (512 << 20)  // MAP_NORESERVE: costs nothing until touched
        let machine = try MicroVM(configuration: configuration, kvm: kvm)
        XCTAssertEqual(machine.memory.regions.map(\.guestAddress), [0, 1 << 32])
        XCTAssertEqual(machine.memory.totalSize, (4 << 30) + (512 << 20))
        let zeroPage = try machine.memory.readBytes(at: X86Layout.zeroPageAddress, count: 4096)
        XCTAssertEqual(zeroPage[0x1e8], 3)
        XCTAssertEqual(zeroPage.loadLE(UInt64.self, at: 0x2d0 + 40), 1 << 32)
        XCTAssertEqual(zeroPage.loadLE(UInt64.self, at: 0x2d0 + 48), (4 << 30) + (512 << 20) - 0xd000_0000)
    }
}
