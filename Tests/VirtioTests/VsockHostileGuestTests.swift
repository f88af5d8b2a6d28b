import Virtio
import VirtioTestSupport
import XCTest

/// Hostile guests and host clients: every bad packet fails alone, buffers stay bounded.
final class VsockHostileGuestTests: XCTestCase {
    private var guest: VsockTestGuest!
    private var listener: TestUnixSocket!
    private var server: TestUnixSocket!

    override func setUpWithError() throws {
        guest = try VsockTestGuest(limits: VsockLimits(connectionBufferSize: 64 * 1024, maximumConnections: 4))
        listener = try TestUnixSocket.listen(at: guest.socketPath + "_80")
        try guest.postReceiveBuffers(16)
        try guest.send(guest.header(.request, from: 7000, to: 80))
        XCTAssertEqual(try guest.received().map(\.header.operation), [.response])
        server = try XCTUnwrap(listener.acceptPending())
    }

    override func tearDown() {
        server = nil
        listener = nil
        guest = nil
    }

    /// Sends a well-formed RW after a hostile packet: it must still arrive, so the queue and connection survived.
    private func assertConnectionStillWorks(file: StaticString = #filePath, line: UInt = #line) throws {
        try guest.send(guest.header(.readWrite, from: 7000, to: 80, length: 2), payload: Array("ok".utf8))
        XCTAssertEqual(server.readText(), "ok", file: file, line: line)
        XCTAssertEqual(guest.connectionKeys, [VsockConnectionKey(localPort: 80, peerPort: 7000)], file: file, line: line)
        XCTAssertFalse(guest.driver.status.contains(.deviceNeedsReset), file: file, line: line)
    }

    private func assertDropped(
        _ readable: [[UInt8]], fault: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let faultsBefore = guest.reportedFaults.count
        let used = try guest.sendRaw(readable)
        XCTAssertEqual(used.map(\.length), [0], file: file, line: line)
        let newFaults = guest.reportedFaults.dropFirst(faultsBefore)
        XCTAssertEqual(newFaults.count, 1, "\(newFaults)", file: file, line: line)
        XCTAssertTrue(newFaults.first?.contains(fault) ?? false, "\(newFaults)", file: file, line: line)
        XCTAssertEqual(try guest.received().count, 0, "a dropped packet gets no answer", file: file, line: line)
        XCTAssertEqual(server.readText(), "", file: file, line: line)
        try assertConnectionStillWorks(file: file, line: line)
    }

    func testShortHeaderIsDropped() throws {
        try assertDropped([Array(guest.header(.readWrite, from: 7000, to: 80).bytes.prefix(30))], fault: "shorter than the 44-byte header")
    }

    func testLengthBeyondTheChainIsDropped() throws {
        try assertDropped([guest.header(.readWrite, from: 7000, to: 80, length: 100).bytes, [1, 2, 3]],
                          fault: "exceeds the 3 payload bytes")
    }

    func testOversizedPayloadIsDropped() throws {
        let length: UInt32 = 64 * 1024 + 1
        try assertDropped([guest.header(.readWrite, from: 7000, to: 80, length: length).bytes, [UInt8](repeating: 0, count: Int(length))],
                          fault: "exceeds the payload limit")
    }

    func testHugeLengthFieldIsDropped() throws {
        try assertDropped([guest.header(.readWrite, from: 7000, to: 80, length: .max).bytes, [1]], fault: "payload limit")
    }

    func testWrongSourceCIDIsDropped() throws {
        var header = guest.header(.readWrite, from: 7000, to: 80, length: 1)
        header.sourceCID = 4
        try assertDropped([header.bytes, [1]], fault: "src_cid 4")
    }

    func testWrongDestinationCIDIsDropped() throws {
        var header = guest.header(.readWrite, from: 7000, to: 80, length: 1)
        header.destinationCID = 3
        try assertDropped([header.bytes, [1]], fault: "dst_cid 3")
    }

    func testUnknownOperationIsDropped() throws {
        var header = guest.header(.readWrite, from: 7000, to: 80)
        header.rawOperation = 99
        try assertDropped([header.bytes], fault: "unknown op 99")
        header.rawOperation = 0
        try assertDropped([header.bytes], fault: "unknown op 0")
    }

    func testNonStreamTypeIsAnsweredWithReset() throws {
        var header = guest.header(.request, from: 7001, to: 80)
        header.type = 2  // SEQPACKET, not offered
        try guest.sendRaw([header.bytes])
        let packets = try guest.received()
        XCTAssertEqual(packets.map(\.header.operation), [.reset])
        XCTAssertEqual(packets.first?.header.destinationPort, 7001)
        try assertConnectionStillWorks()
    }

    func testHeaderSplitAcrossDescriptorsIsAccepted() throws {
        let bytes = guest.header(.readWrite, from: 7000, to: 80, length: 3).bytes + Array("abc".utf8)
        try guest.sendRaw([Array(bytes[0..<10]), Array(bytes[10..<45]), Array(bytes[45...])])
        XCTAssertEqual(server.readText(), "abc")
    }

    func testReceiveChainTooSmallForAHeaderIsReturnedEmpty() throws {
        let fresh = try VsockTestGuest()
        let small = try fresh.driver.post(queue: VirtioVsock.receiveQueue, writable: [16])
        try fresh.postReceiveBuffers(1)
        try fresh.send(fresh.header(.request, from: 7002, to: 999))  // nobody listens: RST owed
        let used = try fresh.driver.takeUsed(queue: VirtioVsock.receiveQueue)
        XCTAssertEqual(used.count, 2)
        XCTAssertEqual(used.first, .init(head: small.head, length: 0))
        XCTAssertEqual(used.last?.length, UInt32(VsockPacketHeader.size))
        XCTAssertTrue(fresh.reportedFaults.contains { $0.contains("less than a header") })
    }

    func testGuestIgnoringCreditIsResetNotBuffered() throws {
        // The server reads nothing; the guest keeps sending 64 KiB packets whatever buf_alloc says.
        let chunk = [UInt8](repeating: 1, count: 64 * 1024)
        var reset = false
        for _ in 0..<32 where !reset {
            try guest.send(guest.header(.readWrite, from: 7000, to: 80, length: UInt32(chunk.count)), payload: chunk)
            reset = try guest.received().contains { $0.header.operation == .reset }
        }
        XCTAssertTrue(reset)
        XCTAssertEqual(guest.connectionKeys, [])
        XCTAssertTrue(guest.reportedFaults.contains { $0.contains("exceeds buf_alloc") }, "\(guest.reportedFaults)")
    }

    func testConnectionLimitAnswersReset() throws {
        var listeners: [TestUnixSocket] = []
        for port: UInt32 in 81...84 {
            listeners.append(try TestUnixSocket.listen(at: guest.socketPath + "_\(port)"))
            try guest.send(guest.header(.request, from: 7000, to: port))
        }
        // One connection was open already: three more fit, the fourth is refused.
        XCTAssertEqual(try guest.received().map(\.header.operation), [.response, .response, .response, .reset])
        XCTAssertEqual(guest.connectionKeys.count, 4)
    }

    func testDuplicateRequestAndStrayResponseFailAlone() throws {
        try guest.send(guest.header(.request, from: 7000, to: 80))
        XCTAssertTrue(guest.reportedFaults.last?.contains("REQUEST for open connection") ?? false)
        try assertConnectionStillWorks()
        try guest.send(guest.header(.response, from: 7000, to: 80))
        XCTAssertEqual(try guest.received().map(\.header.operation), [.reset])
        XCTAssertEqual(guest.connectionKeys, [])
    }

    func testMalformedConnectLinesCloseOnlyThatClient() throws {
        for line in ["CONNECT abc\n", "CONNECT\n", "CONNECT 99999999999\n", "HELLO 5\n",
                     String(repeating: "A", count: 40)] {
            let client = try TestUnixSocket.connect(to: guest.socketPath)
            client.write(line)
            guest.pumpHost()
            XCTAssertTrue(client.readAvailable().endOfFile, line)
        }
        XCTAssertEqual(try guest.received().count, 0)
        let client = try TestUnixSocket.connect(to: guest.socketPath)
        client.write("CONNECT 5\r\n")
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.header.operation), [.request])
    }

    func testConnectLineArrivingInPieces() throws {
        let client = try TestUnixSocket.connect(to: guest.socketPath)
        client.write("CONN")
        guest.pumpHost()
        XCTAssertEqual(try guest.received().count, 0)
        client.write("ECT 9\n")
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.header.destinationPort), [9])
    }

    func testGuestLoweringItsBufferDoesNotUnderflowCredit() throws {
        server.write([UInt8](repeating: 7, count: 100))
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.payload.count), [100])
        // In flight 100, but the guest now claims buf_alloc 10 and a fwd_cnt beyond what it got.
        try guest.send(guest.header(.creditUpdate, from: 7000, to: 80, bufferAllocation: 10, forwardCount: 0))
        server.write([1])
        guest.pumpHost()
        XCTAssertEqual(try guest.received().count, 0, "no credit: nothing sent")
        try guest.send(guest.header(.creditUpdate, from: 7000, to: 80, bufferAllocation: 10, forwardCount: 5000))
        guest.pumpHost()
        XCTAssertEqual(try guest.received().count, 0, "fwd_cnt past what was sent gives no credit")
        try guest.send(guest.header(.creditUpdate, from: 7000, to: 80, bufferAllocation: 200, forwardCount: 100))
        XCTAssertEqual(try guest.received().map(\.payload), [[1]])
    }
}
