import LinuxSupport
import XCTest
@testable import VMM
#if canImport(Glibc)
import Glibc
#endif

/// Boots a real Linux kernel when one is named in RKT_VMM_TEST_KERNEL (e.g. kernel/'s build/vmlinux): it
/// takes tens of seconds on hosts where the guest kernel is emulated, so it is opt-in. Without a root disk
/// the kernel panics, and `panic=-1` + `reboot=k` turn that into the i8042 reset that ends the VM cleanly.
final class RealKernelBootTests: XCTestCase {
    func testKernelBootsToItsRootMountAndResetsTheMachine() throws {
        guard let kernel = getenv("RKT_VMM_TEST_KERNEL").map({ String(cString: $0) }), HostFile.exists(kernel) else {
            throw XCTSkip("set RKT_VMM_TEST_KERNEL to a vmlinux or bzImage to boot a real kernel (slow: tens of seconds)")
        }
        let kvm = try openKvmOrSkip()
        var template = Array("/tmp/vmm-boot-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw SystemError.current("mkstemp") }
        let logPath = String(cString: template)
        defer { close(fd); unlink(logPath) }
        var configuration = MachineConfiguration(kernelPath: kernel)
        configuration.consoleDescriptor = fd
        configuration.quiet = false
        let exit = try MicroVM(configuration: configuration, kvm: kvm).run()
        let log = String(decoding: try HostFile.read(logPath), as: UTF8.self)
        XCTAssertEqual(exit, .guestReset, String(log.suffix(2000)))
        XCTAssertTrue(log.contains("Linux version"))
        XCTAssertTrue(log.contains("found SMP MP-table"), "the kernel found our MP table")
        XCTAssertTrue(log.contains("VFS: Unable to mount root fs"), String(log.suffix(2000)))
    }
}
