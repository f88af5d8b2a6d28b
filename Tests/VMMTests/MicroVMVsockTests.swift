import LinuxSupport
import Virtio
import XCTest
@testable import VMM
#if canImport(Glibc)
import Glibc
#endif

/// `MachineConfiguration.vsock` puts a virtio-vsock device in the next virtio window (needs /dev/kvm).
final class MicroVMVsockTests: XCTestCase {
    func testVsockDeviceIsAttachedAfterTheDisksWithItsSocket() throws {
        let kvm = try openKvmOrSkip()
        var template = Array("/tmp/vmm-vsock-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw SystemError.current("mkdtemp") }
        let directory = String(cString: template)
        defer { _ = system("rm -rf '\(directory)'") }
        let kernel = SyntheticKernelImages.elf(entry: 0x1000000, segments: [.init(physicalAddress: 0x1000000, data: [0xF4], memorySize: 0x1000)])
        try AtomicFile.write(kernel, to: directory + "/vmlinux")
        try AtomicFile.write([UInt8](repeating: 0, count: 4096), to: directory + "/disk.img")
        var configuration = MachineConfiguration(kernelPath: directory + "/vmlinux")
        configuration.memorySize = 64 << 20
        configuration.disks = [.init(path: directory + "/disk.img", readOnly: true)]
        configuration.vsock = .init(guestCID: 3, socketPath: directory + "/vsock")
        let machine = try MicroVM(configuration: configuration, kvm: kvm)
        XCTAssertEqual(machine.transports.count, 2)
        XCTAssertEqual(machine.transports.last?.readRegister(MMIORegister.deviceID), VirtioDeviceType.socket)
        XCTAssertEqual(machine.commandLine.text.components(separatedBy: "virtio_mmio.device=").count, 3)
        var info = stat()
        XCTAssertEqual(stat(directory + "/vsock", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFSOCK)
    }
}
