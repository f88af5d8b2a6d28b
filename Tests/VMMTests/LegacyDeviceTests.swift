import Virtio
import XCTest
@testable import VMM
#if canImport(Glibc)
import Glibc
#endif

final class CountingInterruptLine: InterruptLine, @unchecked Sendable {
    private(set) var count = 0
    func trigger() throws { count += 1 }
}

final class LegacyDeviceTests: XCTestCase {
    private func makeSerial() throws -> (Serial8250, CountingInterruptLine, Int32) {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        let line = CountingInterruptLine()
        addTeardownBlock { close(fds[0]); close(fds[1]) }
        return (Serial8250(outputDescriptor: fds[1], interrupt: line), line, fds[0])
    }

    private func drain(_ fd: Int32) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fd, &buffer, buffer.count)
        return n > 0 ? Array(buffer.prefix(n)) : []
    }

    func testTransmitGoesToTheDescriptorAndLineStatusIsAlwaysReady() throws {
        let (serial, _, out) = try makeSerial()
        for byte in "ok".utf8 { serial.write(offset: 0, bytes: [byte]) }
        XCTAssertEqual(drain(out), Array("ok".utf8))
        XCTAssertEqual(serial.read(offset: 5, count: 1), [0x60])
        XCTAssertEqual(serial.read(offset: 2, count: 1), [0x01], "no interrupt pending")
    }

    func testReceivedBytesSetDataReadyAndRaiseTheInterruptWhenEnabled() throws {
        let (serial, line, _) = try makeSerial()
        serial.enqueueInput([0x41])
        XCTAssertEqual(line.count, 0, "receive interrupt not enabled yet")
        serial.write(offset: 1, bytes: [0x01])  // IER: received data
        XCTAssertEqual(line.count, 1)
        XCTAssertEqual(serial.read(offset: 5, count: 1), [0x61])
        XCTAssertEqual(serial.read(offset: 2, count: 1), [0x04])
        XCTAssertEqual(serial.read(offset: 0, count: 1), [0x41])
        XCTAssertEqual(serial.read(offset: 5, count: 1), [0x60])
        serial.enqueueInput([1, 2])
        XCTAssertEqual(line.count, 2)
    }

    func testTransmitterEmptyInterruptIsAcknowledgedByReadingIir() throws {
        let (serial, line, _) = try makeSerial()
        serial.write(offset: 1, bytes: [0x02])  // IER: THRE
        XCTAssertEqual(line.count, 1)
        XCTAssertEqual(serial.read(offset: 2, count: 1), [0x02])
        XCTAssertEqual(serial.read(offset: 2, count: 1), [0x01])
        serial.write(offset: 0, bytes: [0x42])
        XCTAssertEqual(line.count, 2)
    }

    func testDivisorLatchLoopbackScratchAndFifoDetection() throws {
        let (serial, _, out) = try makeSerial()
        serial.write(offset: 3, bytes: [0x83])  // DLAB
        serial.write(offset: 0, bytes: [0x01])
        serial.write(offset: 1, bytes: [0x00])
        XCTAssertEqual(serial.read(offset: 0, count: 1), [0x01])
        serial.write(offset: 3, bytes: [0x03])
        XCTAssertTrue(drain(out).isEmpty, "divisor writes are not output")
        serial.write(offset: 7, bytes: [0xa5])
        XCTAssertEqual(serial.read(offset: 7, count: 1), [0xa5])
        serial.write(offset: 4, bytes: [0x1a])  // loopback | OUT2 | RTS, as Linux's probe does
        XCTAssertEqual(serial.read(offset: 6, count: 1)[0] & 0xf0, 0x90)
        serial.write(offset: 0, bytes: [0x55])
        XCTAssertEqual(serial.read(offset: 0, count: 1), [0x55], "loopback returns the byte")
        XCTAssertTrue(drain(out).isEmpty)
        serial.write(offset: 4, bytes: [0x0b])
        XCTAssertEqual(serial.read(offset: 6, count: 1), [0xb0])
        serial.write(offset: 2, bytes: [0x01])  // FCR: enable FIFO
        XCTAssertEqual(serial.read(offset: 2, count: 1)[0] >> 6, 3, "reports a 16550A")
        XCTAssertEqual(serial.read(offset: 0, count: 2).count, 2)
    }

    func testInputIsBounded() throws {
        let (serial, _, _) = try makeSerial()
        XCTAssertEqual(serial.enqueueInput([UInt8](repeating: 1, count: 70_000)), 64 * 1024)
        XCTAssertEqual(serial.enqueueInput([1]), 0)
    }

    func testI8042ResetCommandAndProbeAnswers() {
        final class Flag: @unchecked Sendable { var resets = 0 }
        let flag = Flag()
        let controller = I8042Controller { flag.resets += 1 }
        let data = controller.dataPortDevice, command = controller.commandPortDevice
        XCTAssertEqual(command.read(offset: 0, count: 1), [0])
        command.write(offset: 0, bytes: [0xaa])
        XCTAssertEqual(command.read(offset: 0, count: 1), [1])
        XCTAssertEqual(data.read(offset: 0, count: 1), [0x55])
        command.write(offset: 0, bytes: [0x60])
        data.write(offset: 0, bytes: [0x47])
        command.write(offset: 0, bytes: [0x20])
        XCTAssertEqual(data.read(offset: 0, count: 1), [0x47])
        XCTAssertEqual(flag.resets, 0)
        command.write(offset: 0, bytes: [0xfe])
        XCTAssertEqual(flag.resets, 1)
    }

    func testMachineExitStatuses() {
        XCTAssertEqual(MachineExit.guestReset.status, 0)
        XCTAssertEqual(MachineExit.systemEvent(type: 3).status, 1)
        XCTAssertEqual(MachineExit.systemEvent(type: 1).status, 0)
        XCTAssertEqual(MachineExit.tripleFault.status, 1)
        XCTAssertEqual(MachineExit.failed("x").status, 1)
    }
}
