#if canImport(Glibc)
import Glibc
#endif
import Virtio
import VirtioTestSupport
import XCTest

/// A backend that keeps packets (virtio-net header + frame) in memory: what the guest sent, what waits for
/// the guest, and the receive offloads the device last set.
final class MemoryNetBackend: NetBackend {
    var sent: [[UInt8]] = []
    var incoming: [[UInt8]] = []
    var full = false
    var offloads: NetReceiveOffloads?
    let pollDescriptor: Int32 = -1

    func setReceiveOffloads(_ offloads: NetReceiveOffloads) throws { self.offloads = offloads }

    func send(_ packet: [UInt8]) throws -> Bool {
        if full { return false }
        sent.append(packet)
        return true
    }

    func receive() throws -> [UInt8]? { incoming.isEmpty ? nil : incoming.removeFirst() }
}

final class NetDeviceTests: XCTestCase {
    private let mac: [UInt8] = [0x02, 0x72, 0x6b, 0x74, 0x00, 0x01]
    private var memory: GuestMemory!
    private var interrupt: CountingInterrupt!
    private var backend: MemoryNetBackend!
    private var device: NetDevice!
    private var transport: MMIOTransport!
    private var driver: SimulatedGuestDriver!
    private var faults: [String] = []

    /// A driver that accepts what `accept` keeps of the offer (everything by default).
    private func start(accept: (UInt64) -> UInt64 = { $0 }) throws {
        memory = try GuestMemory(size: 1 << 20)
        interrupt = CountingInterrupt()
        backend = MemoryNetBackend()
        device = NetDevice(mac: mac, backend: backend, queueSize: 16, reportFault: { [unowned self] in faults.append($0) })
        transport = MMIOTransport(device: device, memory: memory, interruptLine: interrupt)
        driver = SimulatedGuestDriver(transport: transport)
        try driver.initialize(accept: accept)
    }

    /// Without mergeable receive buffers: one chain per packet.
    private func startWithoutMergeableBuffers() throws {
        try start { $0 & ~VirtioNet.featureMergeableReceiveBuffers }
    }

    /// A TSO header as a driver writes it (flags NEEDS_CSUM, gso TCPV4, hdr_len 54, gso_size 1448,
    /// csum_start 34, csum_offset 16), then num_buffers 0.
    private let tsoHeader: [UInt8] = [1, 1, 54, 0, 0xa8, 0x05, 34, 0, 16, 0, 0, 0]
    private func header() -> [UInt8] { [UInt8](repeating: 0, count: VirtioNet.headerLength) }

    private func receive() { transport.withDevice(NetDevice.self) { try $0.receiveFromBackend() } }

    func testIdentityMacLinkStatusAndOffloadFeatures() throws {
        try start()
        XCTAssertEqual(transport.readRegister(MMIORegister.deviceID), VirtioDeviceType.network)
        XCTAssertEqual(transport.read(offset: 0x100, count: 6), mac)
        XCTAssertEqual(transport.read(offset: 0x106, count: 2), [1, 0], "link up")
        for feature in [VirtioNet.featureMAC, VirtioNet.featureChecksum, VirtioNet.featureGuestTSO4, VirtioNet.featureHostTSO6,
                        VirtioNet.featureMergeableReceiveBuffers] {
            XCTAssertNotEqual(device.deviceFeatures & feature, 0)
        }
    }

    func testReceiveOffloadsFollowWhatTheDriverAcceptedAndResetClearsThem() throws {
        try start()
        XCTAssertEqual(backend.offloads, NetReceiveOffloads(checksum: true, tso4: true, tso6: true, ecn: true))
        driver.writeStatus(0)
        XCTAssertEqual(backend.offloads, NetReceiveOffloads(), "a reset device takes back every offload")
        // TSO without checksum offload is not a valid combination: none at all.
        try start { $0 & ~VirtioNet.featureGuestChecksum }
        XCTAssertEqual(backend.offloads, NetReceiveOffloads())
        try start { $0 & ~(VirtioNet.featureGuestTSO6 | VirtioNet.featureGuestECN) }
        XCTAssertEqual(backend.offloads, NetReceiveOffloads(checksum: true, tso4: true))
    }

    func testTransmitPassesTheDriversHeaderAndFrameToTheBackend() throws {
        try start()
        let frame = (0..<60).map { UInt8($0) }
        let chain = try driver.post(queue: VirtioNet.transmitQueue, readable: [tsoHeader + Array(frame[0..<20]), Array(frame[20...])])
        driver.notify(queue: VirtioNet.transmitQueue)
        XCTAssertEqual(backend.sent, [tsoHeader + frame], "the host kernel gets the header to segment and checksum")
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.transmitQueue), [.init(head: chain.head, length: 0)])
        XCTAssertEqual(interrupt.triggerCount, 1)
        XCTAssertEqual(device.transmittedFrames, 1)
    }

    func testReceiveWithoutMergeableBuffersWaitsForBuffersAndSetsOneBuffer() throws {
        try startWithoutMergeableBuffers()
        backend.incoming = [header() + Array(repeating: 0xaa, count: 64), tsoHeader + Array(repeating: 0xbb, count: 100)]
        receive()
        XCTAssertFalse(device.wantsBackendInput, "one packet is held until the guest posts a buffer")
        XCTAssertEqual(interrupt.triggerCount, 0)
        let first = try driver.post(queue: VirtioNet.receiveQueue, writable: [2048])
        driver.notify(queue: VirtioNet.receiveQueue)
        let second = try driver.post(queue: VirtioNet.receiveQueue, writable: [2048])
        driver.notify(queue: VirtioNet.receiveQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.receiveQueue),
                       [.init(head: first.head, length: 12 + 64), .init(head: second.head, length: 12 + 100)])
        let packet = try memory.readBytes(at: first.writable[0].address, count: 12 + 64)
        XCTAssertEqual(Array(packet[0..<10]), Array(repeating: 0, count: 10))
        XCTAssertEqual(Array(packet[10..<12]), [1, 0], "num_buffers")
        XCTAssertEqual(Array(packet[12...]), Array(repeating: 0xaa, count: 64))
        XCTAssertEqual(try memory.readBytes(at: second.writable[0].address, count: 10), Array(tsoHeader[0..<10]), "the backend's header reaches the guest")
        XCTAssertTrue(device.wantsBackendInput)
        XCTAssertEqual(device.receivedFrames, 2)
    }

    func testMergeableBuffersSpreadAPacketCountThemAndWaitForMore() throws {
        try start()
        let frame = (0..<2500).map { UInt8(truncatingIfNeeded: $0 * 7) }
        backend.incoming = [tsoHeader + frame, header() + [0x55]]
        let first = try driver.post(queue: VirtioNet.receiveQueue, writable: [1000])
        driver.notify(queue: VirtioNet.receiveQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.receiveQueue), [], "1000 bytes do not hold 2512: the chain is held")
        XCTAssertFalse(device.wantsBackendInput)
        let second = try driver.post(queue: VirtioNet.receiveQueue, writable: [600, 400])
        let third = try driver.post(queue: VirtioNet.receiveQueue, writable: [4096])
        let fourth = try driver.post(queue: VirtioNet.receiveQueue, writable: [4096])
        driver.notify(queue: VirtioNet.receiveQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.receiveQueue), [
            .init(head: first.head, length: 1000), .init(head: second.head, length: 1000), .init(head: third.head, length: 512),
            .init(head: fourth.head, length: 13),
        ])
        var received = try memory.readBytes(at: first.writable[0].address, count: 1000)
        received += try memory.readBytes(at: second.writable[0].address, count: 600)
        received += try memory.readBytes(at: second.writable[1].address, count: 400)
        received += try memory.readBytes(at: third.writable[0].address, count: 512)
        XCTAssertEqual(Array(received[0..<10]), Array(tsoHeader[0..<10]))
        XCTAssertEqual(Array(received[10..<12]), [3, 0], "num_buffers counts the three chains")
        XCTAssertEqual(Array(received[12...]), frame)
        XCTAssertEqual(try memory.readBytes(at: fourth.writable[0].address, count: 13), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x55])
        XCTAssertEqual(device.receivedFrames, 2)
        XCTAssertEqual(faults, [])
    }

    func testHostileChainsFailOnlyTheirPacket() throws {
        try startWithoutMergeableBuffers()
        // Shorter than the header, and longer than any packet: dropped, reported, the ring goes on.
        let short = try driver.post(queue: VirtioNet.transmitQueue, readable: [[1, 2, 3]])
        let long = try driver.post(queue: VirtioNet.transmitQueue, readable: [header() + Array(repeating: 7, count: VirtioNet.maximumFrame + 1)])
        let good = try driver.post(queue: VirtioNet.transmitQueue, readable: [header() + [9, 9]])
        driver.notify(queue: VirtioNet.transmitQueue)
        XCTAssertEqual(backend.sent, [header() + [9, 9]])
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.transmitQueue).map(\.head), [short.head, long.head, good.head])
        XCTAssertEqual(faults.count, 2, "\(faults)")
        // A receive buffer too small for the packet: the packet is dropped, the buffer returned empty.
        backend.incoming = [header() + Array(repeating: 1, count: 500)]
        let small = try driver.post(queue: VirtioNet.receiveQueue, writable: [100])
        driver.notify(queue: VirtioNet.receiveQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.receiveQueue), [.init(head: small.head, length: 0)])
        XCTAssertEqual(device.droppedFrames, 3)
        XCTAssertEqual(transport.readRegister(MMIORegister.status) & DeviceStatus.deviceNeedsReset.rawValue, 0)
    }

    func testMergeableBuffersThatCanNeverHoldAPacketDropIt() throws {
        try start()
        // Sixteen 10-byte buffers (the whole ring) for a 512-byte packet, and one read-only chain among them.
        backend.incoming = [header() + Array(repeating: 3, count: 500), header() + [4]]
        let readOnly = try driver.post(queue: VirtioNet.receiveQueue, readable: [[1]])
        var heads: [UInt16] = [readOnly.head]
        for _ in 0..<15 { heads.append(try driver.post(queue: VirtioNet.receiveQueue, writable: [10]).head) }
        driver.notify(queue: VirtioNet.receiveQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.receiveQueue).map(\.length), Array(repeating: 0, count: 1),
                       "the read-only chain comes back unused at once; the others are held")
        heads.append(try driver.post(queue: VirtioNet.receiveQueue, writable: [10]).head)
        driver.notify(queue: VirtioNet.receiveQueue)
        let used = try driver.takeUsed(queue: VirtioNet.receiveQueue)
        XCTAssertEqual(used.count, 16, "all sixteen held chains come back empty with the packet dropped")
        XCTAssertEqual(Set(used.map(\.length)), [0])
        XCTAssertEqual(device.droppedFrames, 1)
        XCTAssertEqual(faults.count, 2, "\(faults)")
        XCTAssertEqual(transport.readRegister(MMIORegister.status) & DeviceStatus.deviceNeedsReset.rawValue, 0)
        let next = try driver.post(queue: VirtioNet.receiveQueue, writable: [64])
        driver.notify(queue: VirtioNet.receiveQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.receiveQueue), [.init(head: next.head, length: 13)], "the next packet gets through")
    }

    func testAFullBackendDropsPacketsLikeANic() throws {
        try start()
        backend.full = true
        try driver.post(queue: VirtioNet.transmitQueue, readable: [header() + [1]])
        driver.notify(queue: VirtioNet.transmitQueue)
        XCTAssertEqual(device.droppedFrames, 1)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.transmitQueue).count, 1)
    }

    func testTapBackendAttachesToANamedInterface() throws {
        guard geteuid() == 0, access("/dev/net/tun", R_OK | W_OK) == 0 else {
            throw XCTSkip("a tap device needs root and /dev/net/tun")
        }
        // In a network namespace of the test's own: the tap never appears on the host, and goes with it.
        try withPrivateNetworkNamespace {
            let name = "rkttap0"
            let tap = try TapBackend(name: name)
            XCTAssertNotEqual(if_nametoindex(name), 0, "the interface exists in this namespace")
            XCTAssertNil(try tap.receive(), "nothing arrives on an interface that is down")
            XCTAssertThrowsError(try TapBackend(name: "bad/name"))
        }
        XCTAssertEqual(if_nametoindex("rkttap0"), 0, "and not in the test's own")
    }
}
