import Virtio
import VirtioTestSupport
import XCTest

final class VsockDeviceTests: XCTestCase {
    private var guest: VsockTestGuest!

    override func setUpWithError() throws {
        guest = try VsockTestGuest()
    }

    override func tearDown() {
        guest = nil
    }

    /// A host client connected through the hybrid handshake to guest port `guestPort`, with the guest's
    /// RESPONSE sent and "OK <port>" consumed. Returns the client and the host port the device picked.
    private func connectFromHost(guestPort: UInt32, guestBuffer: UInt32 = 1 << 16) throws -> (TestUnixSocket, UInt32) {
        let client = try TestUnixSocket.connect(to: guest.socketPath)
        client.write("CONNECT \(guestPort)\n")
        guest.pumpHost()
        let packets = try guest.received()
        XCTAssertEqual(packets.count, 1)
        let request = try XCTUnwrap(packets.first?.header)
        XCTAssertEqual(request.operation, .request)
        XCTAssertEqual(request.sourceCID, VirtioVsock.hostCID)
        XCTAssertEqual(request.destinationCID, VsockTestGuest.cid)
        XCTAssertEqual(request.destinationPort, guestPort)
        XCTAssertEqual(request.type, VirtioVsock.streamType)
        XCTAssertEqual(request.bufferAllocation, VsockLimits().connectionBufferSize)
        XCTAssertEqual(client.readText(), "", "nothing before the guest accepts")
        try guest.send(guest.header(.response, from: guestPort, to: request.sourcePort, bufferAllocation: guestBuffer))
        XCTAssertEqual(client.readText(), "OK \(request.sourcePort)\n")
        return (client, request.sourcePort)
    }

    func testIdentityConfigAndFeatures() throws {
        XCTAssertEqual(guest.transport.readRegister(MMIORegister.deviceID), 19)
        XCTAssertEqual(guest.transport.read(offset: 0x100, count: 8), [3, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(guest.transport.read(offset: 0x100, count: 4), [3, 0, 0, 0])
        XCTAssertNotEqual(guest.transport.negotiatedFeatures & VirtioFeatures.version1, 0)
        XCTAssertTrue(guest.transport.isActivated)
    }

    func testStaleSocketIsReplacedButALiveOneIsNot() throws {
        XCTAssertThrowsError(try VsockUnixBackend(path: guest.socketPath)) { error in
            XCTAssertEqual("\(error)", "bind \(guest.socketPath): Address already in use")
        }
        let stalePath = guest.directory + "/stale.sock"
        _ = try TestUnixSocket.listen(at: stalePath)  // closed at once, file left behind
        let backend = try VsockUnixBackend(path: stalePath)
        XCTAssertNoThrow(try TestUnixSocket.connect(to: stalePath))
        backend.close()
    }

    func testReservedGuestCIDsAreRefused() throws {
        for cid: UInt64 in [0, 1, 2, 0xFFFF_FFFF, 1 << 40] {
            XCTAssertThrowsError(try VsockDevice(guestCID: cid, backend: guest.backend)) { error in
                XCTAssertEqual(error as? VsockConfigurationError, .invalidGuestCID(cid))
            }
        }
    }

    func testHostToGuestHandshakeThenDataBothWays() throws {
        try guest.postReceiveBuffers(4)
        let (client, hostPort) = try connectFromHost(guestPort: 52)
        XCTAssertEqual(hostPort, 1 << 30)
        XCTAssertEqual(guest.connectionKeys, [VsockConnectionKey(localPort: hostPort, peerPort: 52)])

        client.write("ping")
        guest.pumpHost()
        let packets = try guest.received()
        XCTAssertEqual(packets.map(\.header.operation), [.readWrite])
        XCTAssertEqual(packets.first?.payload, Array("ping".utf8))
        XCTAssertEqual(packets.first?.header.sourcePort, hostPort)
        XCTAssertEqual(packets.first?.header.destinationPort, 52)

        try guest.send(guest.header(.readWrite, from: 52, to: hostPort, length: 4), payload: Array("pong".utf8))
        XCTAssertEqual(client.readText(), "pong")
        XCTAssertGreaterThan(guest.interrupt.triggerCount, 0)
    }

    func testBytesAfterTheConnectLineReachTheGuest() throws {
        try guest.postReceiveBuffers(4)
        let client = try TestUnixSocket.connect(to: guest.socketPath)
        client.write("CONNECT 7\nearly")
        guest.pumpHost()
        let request = try XCTUnwrap(try guest.received().first?.header)
        try guest.send(guest.header(.response, from: 7, to: request.sourcePort))
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.payload), [Array("early".utf8)])
        XCTAssertEqual(client.readText(), "OK \(request.sourcePort)\n")
    }

    func testGuestToHostConnectToListeningSocket() throws {
        let listener = try TestUnixSocket.listen(at: guest.socketPath + "_1234")
        try guest.postReceiveBuffers(4)
        try guest.send(guest.header(.request, from: 5000, to: 1234))
        let response = try guest.received()
        XCTAssertEqual(response.map(\.header.operation), [.response])
        XCTAssertEqual(response.first?.header.sourcePort, 1234)
        XCTAssertEqual(response.first?.header.destinationPort, 5000)
        let server = try XCTUnwrap(listener.acceptPending())
        XCTAssertEqual(guest.connectionKeys, [VsockConnectionKey(localPort: 1234, peerPort: 5000)])

        try guest.send(guest.header(.readWrite, from: 5000, to: 1234, length: 5), payload: Array("hello".utf8))
        XCTAssertEqual(server.readText(), "hello")
        server.write("world")
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.payload), [Array("world".utf8)])
    }

    func testGuestConnectWithNobodyListeningIsReset() throws {
        try guest.postReceiveBuffers(2)
        try guest.send(guest.header(.request, from: 5000, to: 999))
        let packets = try guest.received()
        XCTAssertEqual(packets.map(\.header.operation), [.reset])
        XCTAssertEqual(packets.first?.header.sourcePort, 999)
        XCTAssertEqual(packets.first?.header.destinationPort, 5000)
        XCTAssertEqual(guest.connectionKeys, [])
    }

    func testPacketsForUnknownConnectionsAreReset() throws {
        try guest.postReceiveBuffers(4)
        try guest.send(guest.header(.readWrite, from: 40, to: 41, length: 1), payload: [1])
        try guest.send(guest.header(.shutdown, from: 40, to: 42, flags: 3))
        try guest.send(guest.header(.reset, from: 40, to: 43))
        let packets = try guest.received()
        XCTAssertEqual(packets.map(\.header.operation), [.reset, .reset], "an RST is never answered")
        XCTAssertEqual(packets.map(\.header.sourcePort), [41, 42])
    }

    func testHostDataWaitsForGuestCredit() throws {
        try guest.postReceiveBuffers(8)
        let (client, hostPort) = try connectFromHost(guestPort: 60, guestBuffer: 10)
        client.write([UInt8](repeating: 0x61, count: 25))
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.payload.count), [10])
        guest.pumpHost()
        XCTAssertEqual(try guest.received().count, 0, "no credit left")
        try guest.send(guest.header(.creditUpdate, from: 60, to: hostPort, bufferAllocation: 10, forwardCount: 10))
        XCTAssertEqual(try guest.received().map(\.payload.count), [10])
        try guest.send(guest.header(.creditUpdate, from: 60, to: hostPort, bufferAllocation: 10, forwardCount: 20))
        XCTAssertEqual(try guest.received().map(\.payload.count), [5])
    }

    func testHostDataIsSplitToFitReceiveBuffers() throws {
        try guest.postReceiveBuffers(1)
        let (client, _) = try connectFromHost(guestPort: 61)
        try guest.postReceiveBuffers(3, payloadRoom: 8)
        client.write([UInt8](0..<20))
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.payload), [Array(0..<8), Array(8..<16), Array(16..<20)])
    }

    func testGuestBytesWaitForASlowHostAndCreditIsReturned() throws {
        let listener = try TestUnixSocket.listen(at: guest.socketPath + "_80")
        try guest.postReceiveBuffers(16)
        try guest.send(guest.header(.request, from: 7000, to: 80))
        XCTAssertEqual(try guest.received().map(\.header.operation), [.response])
        let server = try XCTUnwrap(listener.acceptPending())
        // Fill the host socket while the server reads nothing, staying within the advertised buf_alloc.
        let chunk = [UInt8](repeating: 0x5a, count: 32 * 1024)
        var sent = 0
        for _ in 0..<12 {
            try guest.send(guest.header(.readWrite, from: 7000, to: 80, length: UInt32(chunk.count)), payload: chunk)
            sent += chunk.count
        }
        XCTAssertEqual(guest.reportedFaults, [])
        var received = server.readAvailable().bytes.count
        guest.pumpHost()  // the stream is writable again: buffered bytes go out
        received += server.readAvailable().bytes.count
        guest.pumpHost()
        received += server.readAvailable().bytes.count
        XCTAssertEqual(received, sent)
        let updates = try guest.received().filter { $0.header.operation == .creditUpdate }
        XCTAssertFalse(updates.isEmpty, "the guest hears that the host consumed its bytes")
        // Credit is returned before the guest's view of free space drops under a quarter of buf_alloc.
        let lastUpdate = try XCTUnwrap(updates.last?.header.forwardCount)
        XCTAssertLessThanOrEqual(sent - Int(lastUpdate), Int(VsockLimits().connectionBufferSize) * 3 / 4)
    }

    func testCreditRequestIsAnswered() throws {
        try guest.postReceiveBuffers(4)
        let (_, hostPort) = try connectFromHost(guestPort: 62)
        try guest.send(guest.header(.creditRequest, from: 62, to: hostPort))
        let packets = try guest.received()
        XCTAssertEqual(packets.map(\.header.operation), [.creditUpdate])
        XCTAssertEqual(packets.first?.header.bufferAllocation, VsockLimits().connectionBufferSize)
    }

    func testGuestShutdownHalfClosesThenResets() throws {
        try guest.postReceiveBuffers(4)
        let (client, hostPort) = try connectFromHost(guestPort: 63)
        try guest.send(guest.header(.readWrite, from: 63, to: hostPort, length: 3), payload: [1, 2, 3])
        try guest.send(guest.header(.shutdown, from: 63, to: hostPort, flags: VirtioVsock.shutdownSend))
        let afterHalfClose = client.readAvailable()
        XCTAssertEqual(afterHalfClose.bytes, [1, 2, 3])
        XCTAssertTrue(afterHalfClose.endOfFile)
        // The host may still answer.
        client.write("bye")
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.payload), [Array("bye".utf8)])
        try guest.send(guest.header(.shutdown, from: 63, to: hostPort, flags: VirtioVsock.shutdownBoth))
        XCTAssertEqual(try guest.received().map(\.header.operation), [.reset])
        XCTAssertEqual(guest.connectionKeys, [])
    }

    func testHostEndOfFileBecomesShutdownAfterTheData() throws {
        try guest.postReceiveBuffers(4)
        let (client, hostPort) = try connectFromHost(guestPort: 64)
        client.write("last words")
        client.shutdownWrite()
        guest.pumpHost()
        let packets = try guest.received()
        XCTAssertEqual(packets.map(\.header.operation), [.readWrite, .shutdown])
        XCTAssertEqual(packets.last?.header.flags, VirtioVsock.shutdownSend)
        try guest.send(guest.header(.readWrite, from: 64, to: hostPort, length: 2), payload: Array("ok".utf8))
        XCTAssertEqual(client.readText(), "ok")
    }

    func testGuestResetClosesTheHostStream() throws {
        try guest.postReceiveBuffers(4)
        let (client, hostPort) = try connectFromHost(guestPort: 65)
        try guest.send(guest.header(.reset, from: 65, to: hostPort))
        XCTAssertTrue(client.readAvailable().endOfFile)
        XCTAssertEqual(guest.connectionKeys, [])
        XCTAssertEqual(try guest.received().count, 0)
    }

    func testGuestRefusingAHostConnectionClosesTheClient() throws {
        try guest.postReceiveBuffers(4)
        let client = try TestUnixSocket.connect(to: guest.socketPath)
        client.write("CONNECT 66\n")
        guest.pumpHost()
        let request = try XCTUnwrap(try guest.received().first?.header)
        try guest.send(guest.header(.reset, from: 66, to: request.sourcePort))
        let result = client.readAvailable()
        XCTAssertEqual(result.bytes, [])
        XCTAssertTrue(result.endOfFile)
    }

    func testHostClientGoneResetsTheGuest() throws {
        try guest.postReceiveBuffers(4)
        var (client, hostPort): (TestUnixSocket?, UInt32) = try connectFromHost(guestPort: 67)
        _ = client
        client = nil
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.header.operation), [.shutdown])
        try guest.send(guest.header(.readWrite, from: 67, to: hostPort, length: 1), payload: [9])
        XCTAssertEqual(try guest.received().map(\.header.operation), [.reset])
        XCTAssertEqual(guest.connectionKeys, [])
    }

    func testHungUpHostStreamIsNotReportedAgainWhileTheGuestHasNoCredit() throws {
        try guest.postReceiveBuffers(4)
        var (client, hostPort): (TestUnixSocket?, UInt32) = try connectFromHost(guestPort: 69, guestBuffer: 4)
        client?.write("abcdefgh")
        _ = client
        client = nil
        guest.pumpHost()
        XCTAssertEqual(try guest.received().map(\.payload), [Array("abcd".utf8)])
        XCTAssertEqual(try guest.backend.pollEvents().count, 0, "a hang-up must not keep the loop busy")
        // The rest is still delivered once the guest has room, then the shutdown.
        try guest.send(guest.header(.creditUpdate, from: 69, to: hostPort, bufferAllocation: 4, forwardCount: 4))
        XCTAssertEqual(try guest.received().map(\.payload), [Array("efgh".utf8)])
        // End of file is found by a read, which waits for credit like the data before it.
        try guest.send(guest.header(.creditUpdate, from: 69, to: hostPort, bufferAllocation: 4, forwardCount: 8))
        XCTAssertEqual(try guest.received().map(\.header.operation), [.shutdown])
    }

    func testHostClientLeavingBeforeTheGuestAnswersWithdrawsTheRequest() throws {
        try guest.postReceiveBuffers(1)
        var client: TestUnixSocket? = try TestUnixSocket.connect(to: guest.socketPath)
        client?.write("CONNECT 70\n")
        guest.pumpHost()
        let request = try XCTUnwrap(try guest.received().first?.header)
        client = nil
        guest.pumpHost()
        XCTAssertEqual(guest.connectionKeys, [])
        try guest.postReceiveBuffers(1)
        let packets = try guest.received()
        XCTAssertEqual(packets.map(\.header.operation), [.reset])
        XCTAssertEqual(packets.first?.header.sourcePort, request.sourcePort)
        // A late RESPONSE finds no connection and is answered with RST too.
        try guest.send(guest.header(.response, from: 70, to: request.sourcePort))
        XCTAssertEqual(try guest.received().map(\.header.operation), [])
        try guest.postReceiveBuffers(1)
        XCTAssertEqual(try guest.received().map(\.header.operation), [.reset])
        _ = client
    }

    func testDeviceResetClosesEveryConnection() throws {
        try guest.postReceiveBuffers(4)
        let (client, _) = try connectFromHost(guestPort: 68)
        guest.driver.writeStatus(0)
        XCTAssertTrue(client.readAvailable().endOfFile)
        XCTAssertEqual(guest.connectionKeys, [])
    }
}
