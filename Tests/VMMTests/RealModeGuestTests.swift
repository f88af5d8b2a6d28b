import XCTest
@testable import VMM

/// Hand-assembled real-mode guests (their CPL0 code is emulated on PVM hosts): each exit must be decoded
/// into the right `VcpuExit`, and the values the VMM supplies for IN and MMIO reads must reach the guest.
final class RealModeGuestTests: XCTestCase {
    func testPortIoMmioAndHaltExitsAreDecoded() throws {
        let kvm = try openKvmOrSkip()
        let code: [UInt8] = [
            0xBA, 0xF8, 0x03,  // mov dx, 0x3f8
            0xB0, 0x41,        // mov al, 'A'
            0xEE,              // out dx, al
            0xEC,              // in al, dx
            0xBB, 0x00, 0x10,  // mov bx, 0x1000
            0x8E, 0xDB,        // mov ds, bx           (ds base 0x10000: no RAM there)
            0xA2, 0x00, 0x00,  // mov [0x0000], al     -> MMIO write of the IN result
            0xA0, 0x04, 0x00,  // mov al, [0x0004]     -> MMIO read
            0xE6, 0x80,        // out 0x80, al         -> reports the MMIO read result
            0xF4,              // hlt
        ]
        let guest = try RealModeGuest(kvm: kvm, code: code)

        XCTAssertEqual(try guest.next(), .ioOut(port: 0x3f8, size: 1, data: [0x41]))
        XCTAssertEqual(try guest.next(), .ioIn(port: 0x3f8, size: 1, count: 1))
        try guest.vcpu.completeIoIn([0x5A])
        XCTAssertEqual(try guest.next(), .mmioWrite(address: 0x10000, data: [0x5A]))
        XCTAssertEqual(try guest.next(), .mmioRead(address: 0x10004, size: 1))
        try guest.vcpu.completeMmioRead([0xC3])
        XCTAssertEqual(try guest.next(), .ioOut(port: 0x80, size: 1, data: [0xC3]))
        XCTAssertEqual(try guest.next(), .halt)
    }

    func testWordAccessesAndStringOutput() throws {
        let kvm = try openKvmOrSkip()
        let code: [UInt8] = [
            0xB8, 0x34, 0x12,        // mov ax, 0x1234
            0xE7, 0x70,              // out 0x70, ax          (16-bit port write)
            0xBE, 0x00, 0x20,        // mov si, 0x2000
            0xB9, 0x03, 0x00,        // mov cx, 3
            0xBA, 0xF8, 0x03,        // mov dx, 0x3f8
            0xF3, 0x6E,              // rep outsb            (string I/O)
            0xF4,                    // hlt
        ]
        let guest = try RealModeGuest(kvm: kvm, code: code)
        try guest.memory.write(bytes: Array("abc".utf8), at: 0x2000)
        XCTAssertEqual(try guest.next(), .ioOut(port: 0x70, size: 2, data: [0x34, 0x12]))
        var written: [UInt8] = []
        while case let .ioOut(port, size, data) = try guest.next() {
            XCTAssertEqual(port, 0x3f8)
            XCTAssertEqual(size, 1)
            written += data
            if written.count >= 3 { break }
        }
        XCTAssertEqual(written, Array("abc".utf8))
        XCTAssertEqual(try guest.next(), .halt)
    }

    func testStringInputIsCompletedWithSizeTimesCountBytes() throws {
        let kvm = try openKvmOrSkip()
        let code: [UInt8] = [
            0xBF, 0x00, 0x30,  // mov di, 0x3000
            0xB9, 0x04, 0x00,  // mov cx, 4
            0xBA, 0xF8, 0x03,  // mov dx, 0x3f8
            0xF3, 0x6C,        // rep insb
            0xF4,              // hlt
        ]
        let guest = try RealModeGuest(kvm: kvm, code: code)
        var received: [UInt8] = []
        var next: UInt8 = 0x10
        while true {
            let exit = try guest.next()
            guard case let .ioIn(port, size, count) = exit else {
                XCTAssertEqual(exit, .halt)
                break
            }
            XCTAssertEqual(port, 0x3f8)
            XCTAssertEqual(size, 1)
            let bytes = (0..<count).map { i in next &+ UInt8(i) }
            next &+= UInt8(count)
            XCTAssertThrowsError(try guest.vcpu.completeIoIn(bytes + [0]), "one byte too many")
            try guest.vcpu.completeIoIn(bytes)
            received += bytes
        }
        XCTAssertEqual(received, [0x10, 0x11, 0x12, 0x13])
        XCTAssertEqual(try guest.memory.readBytes(at: 0x3000, count: 4), [0x10, 0x11, 0x12, 0x13])
    }

    func testKeyboardControllerResetCommandIsAnOutToPort0x64() throws {
        let kvm = try openKvmOrSkip()
        let guest = try RealModeGuest(kvm: kvm, code: [0xB0, 0xFE, 0xE6, 0x64, 0xF4])  // mov al,0xfe; out 0x64,al
        XCTAssertEqual(try guest.next(), .ioOut(port: 0x64, size: 1, data: [0xFE]))
    }

    func testCapabilitiesAndSupportedCpuid() throws {
        let kvm = try openKvmOrSkip()
        XCTAssertNoThrow(try kvm.require(Kvm.requiredCapabilities))
        XCTAssertGreaterThanOrEqual(try kvm.vcpuMmapSize(), 4096)
        let cpuid = try kvm.supportedCpuid()
        XCTAssertTrue(cpuid.contains { $0.function == 0 })
        XCTAssertTrue(cpuid.contains { $0.function == 1 })
    }
}
