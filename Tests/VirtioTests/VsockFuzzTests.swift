import Virtio
import VirtioTestSupport
import XCTest

/// Random guest packets and host traffic against the real device and backend: the device never needs a reset,
/// never exceeds its limits, and every packet it sends is well-formed.
final class VsockFuzzTests: XCTestCase {
    func testRandomPacketsAndHostTrafficKeepTheDeviceSound() throws {
        var random = SeededGenerator(seed: 0x7653_6F63_6B21)
        let limits = VsockLimits(connectionBufferSize: 4096, stagedBytesPerConnection: 1024, maximumConnections: 4,
                                 maximumPendingResets: 8)
        let guest = try VsockTestGuest(limits: limits)
        let listener = try TestUnixSocket.listen(at: guest.socketPath + "_80")
        var servers: [TestUnixSocket] = []
        var clients: [TestUnixSocket] = []
        let hostPorts: [UInt32] = [80, 81, 1 << 30, (1 << 30) + 1]
        let guestPorts: [UInt32] = [7000, 7001, 52]
        var seen: [VsockOperation: Int] = [:]
        for step in 0..<1500 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0:
                if clients.count < 6 {
                    let client = try TestUnixSocket.connect(to: guest.socketPath)
                    let line = Bool.random(using: &random) ? "CONNECT \(guestPorts.randomElement(using: &random)!)\n" : "CONNECT x\n"
                    client.offer(Array(line.utf8))
                    clients.append(client)
                }
            case 1:
                let peer = (servers + clients).randomElement(using: &random)
                peer?.offer([UInt8](repeating: 0x41, count: Int.random(in: 1...3000, using: &random)))
                _ = (servers + clients).randomElement(using: &random)?.readAvailable()
            case 2:
                if !clients.isEmpty, Int.random(in: 0..<4, using: &random) == 0 {
                    clients.remove(at: Int.random(in: 0..<clients.count, using: &random))
                }
            default:
                // Mostly traffic on live connections, with every other op (and invalid ones) mixed in.
                let operation: UInt16 = [5, 5, 5, 5, 5, 6, 6, 6, 7, 1, 1, 2, 3, 4, 0, 8, 9].randomElement(using: &random)!
                let payload = [UInt8](repeating: 0x42, count: Int.random(in: 0...300, using: &random))
                var header = VsockPacketHeader(
                    sourceCID: Int.random(in: 0..<10, using: &random) == 0 ? 4 : VsockTestGuest.cid,
                    destinationCID: Int.random(in: 0..<10, using: &random) == 0 ? 7 : VirtioVsock.hostCID,
                    sourcePort: guestPorts.randomElement(using: &random)!, destinationPort: hostPorts.randomElement(using: &random)!,
                    length: UInt32(payload.count), type: Int.random(in: 0..<10, using: &random) == 0 ? 2 : 1,
                    rawOperation: operation, flags: UInt32.random(in: 0...3, using: &random),
                    bufferAllocation: UInt32.random(in: 0...8192, using: &random),
                    forwardCount: Int.random(in: 0..<5, using: &random) == 0 ? UInt32.random(in: 0...20000, using: &random) : 0)
                if Int.random(in: 0..<8, using: &random) == 0 { header.length = UInt32.random(in: 0...UInt32.max, using: &random) }
                var bytes = header.bytes
                if Int.random(in: 0..<20, using: &random) == 0 { bytes = Array(bytes.prefix(Int.random(in: 1...43, using: &random))) }
                try guest.sendRaw(payload.isEmpty || bytes.count < VsockPacketHeader.size ? [bytes] : [bytes, payload])
            }
            if let server = listener.acceptPending() { servers.append(server) }
            guest.pumpHost()
            if guest.outstandingReceiveBuffers < 8 { try guest.postReceiveBuffers(4, payloadRoom: 512) }
            for packet in try guest.received() {
                XCTAssertEqual(packet.header.sourceCID, VirtioVsock.hostCID)
                XCTAssertEqual(packet.header.destinationCID, VsockTestGuest.cid)
                XCTAssertNotNil(packet.header.operation)
                if let operation = packet.header.operation { seen[operation, default: 0] += 1 }
                XCTAssertLessThanOrEqual(packet.header.length, 512)
                if packet.header.operation != .reset {
                    XCTAssertEqual(packet.header.bufferAllocation, limits.connectionBufferSize)
                }
            }
            XCTAssertFalse(guest.driver.status.contains(.deviceNeedsReset), "step \(step)")
            XCTAssertLessThanOrEqual(guest.connectionKeys.count, limits.maximumConnections, "step \(step)")
            if guest.driver.status.contains(.deviceNeedsReset) { break }
        }
        XCTAssertFalse(guest.reportedFaults.isEmpty, "the hostile packets were noticed")
        for operation in [VsockOperation.request, .response, .readWrite, .reset, .creditUpdate] {
            XCTAssertGreaterThan(seen[operation, default: 0], 0, "the run exercised \(operation): \(seen)")
        }
    }
}
