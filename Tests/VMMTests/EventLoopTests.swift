import LinuxSupport
import XCTest
@testable import VMM
#if canImport(Glibc)
import Glibc
#endif

final class EventLoopTests: XCTestCase {
    func testHandlersRunForReadableDescriptorsUntilStop() throws {
        let loop = try EventLoop()
        let kick = try EventFd()
        final class Counter: @unchecked Sendable { var value = 0 }
        let counter = Counter()
        try loop.add(kick.descriptor) {
            counter.value += Int((try? kick.drain()).flatMap { $0 } ?? 0)
            if counter.value >= 3 { loop.stop() }
        }
        try kick.signal(2)
        try kick.signal(1)
        try loop.run()  // returns once the handler saw all three
        XCTAssertEqual(counter.value, 3)
    }

    func testStopFromAnotherThreadEndsRun() throws {
        let loop = try EventLoop()
        let thread = try HostThread(name: "stop") { loop.stop() }
        try loop.run()
        thread.join()
    }

    func testRegularFilesCannotBeWatched() throws {
        let loop = try EventLoop()
        let fd = open("/proc/self/status", O_RDONLY)
        defer { close(fd) }
        XCTAssertThrowsError(try loop.add(fd) {}) {
            XCTAssertEqual(($0 as? SystemError)?.errno, EPERM)
        }
    }

    func testHostFileReadsWholeFilesAndRefusesOthers() throws {
        let cpuinfo = try HostFile.read("/proc/cpuinfo", limit: 1 << 24)  // procfs: st_size 0, read to EOF
        XCTAssertTrue(String(decoding: cpuinfo, as: UTF8.self).contains("flags"))
        XCTAssertThrowsError(try HostFile.read("/dev/null")) { XCTAssertTrue("\($0)".contains("/dev/null")) }
        XCTAssertThrowsError(try HostFile.read("/nonexistent/kernel")) {
            XCTAssertEqual("\($0)", "open /nonexistent/kernel: No such file or directory")
        }
        var template = Array("/tmp/vmm-hostfile-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        let path = String(cString: template)
        defer { close(fd); unlink(path) }
        try AtomicFile.writeAll(fd, [UInt8](repeating: 7, count: 100), path: path)
        XCTAssertEqual(try HostFile.read(path), [UInt8](repeating: 7, count: 100))
        XCTAssertThrowsError(try HostFile.read(path, limit: 99))
        try AtomicFile.writeAll(fd, [UInt8](repeating: 8, count: 10_000), path: path)
        XCTAssertEqual(try HostFile.read(path).count, 10_100)
    }
}
