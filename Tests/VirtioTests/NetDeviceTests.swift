#if canImport(Glibc)
import Glibc
#endif
import Virtio
import VirtioTestSupport
import XCTest

/// A backend that keeps frames in memory: what the guest sent, and what waits for the guest.
final class MemoryNetBackend: NetBackend {
    var sent: [[UInt8]] = []
    var incoming: [[UInt8]] = []
    var full = false
    let pollDescriptor: Int32 = -1

    func send(_ frame: [UInt8]) throws -> Bool {
        if full { return false }
        sent.append(frame)
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

    override func setUpWithError() throws {
        memory = try GuestMemory(size: 1 << 20)
        interrupt = CountingInterrupt()
        backend = MemoryNetBackend()
        device = NetDevice(mac: mac, backend: backend, queueSize: 16, reportFault: { [unowned self] in faults.append($0) })
        transport = MMIOTransport(device: device, memory: memory, interruptLine: interrupt)
        driver = SimulatedGuestDriver(transport: transport)
        try driver.initialize()
    }

    private func header() -> [UInt8] { [UInt8](repeating: 0, count: VirtioNet.headerLength) }

    private func receive() { transport.withDevice(NetDevice.self) { try $0.receiveFromBackend() } }

    func testIdentityMacAndLinkStatus() {
        XCTAssertEqual(transport.readRegister(MMIORegister.deviceID), VirtioDeviceType.network)
        XCTAssertEqual(transport.read(offset: 0x100, count: 6), mac)
        XCTAssertEqual(transport.read(offset: 0x106, count: 2), [1, 0], "link up")
        XCTAssertNotEqual(device.deviceFeatures & VirtioNet.featureMAC, 0)
    }

    func testTransmitStripsTheHeaderAndSendsTheFrame() throws {
        let frame = (0..<60).map { UInt8($0) }
        let chain = try driver.post(queue: VirtioNet.transmitQueue, readable: [header() + Array(frame[0..<20]), Array(frame[20...])])
        driver.notify(queue: VirtioNet.transmitQueue)
        XCTAssertEqual(backend.sent, [frame])
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.transmitQueue), [.init(head: chain.head, length: 0)])
        XCTAssertEqual(interrupt.triggerCount, 1)
        XCTAssertEqual(device.transmittedFrames, 1)
    }

    func testReceiveWaitsForBuffersAndPrependsAHeader() throws {
        backend.incoming = [Array(repeating: 0xaa, count: 64), Array(repeating: 0xbb, count: 100)]
        receive()
        XCTAssertFalse(device.wantsBackendInput, "one frame is held until the guest posts a buffer")
        XCTAssertEqual(interrupt.triggerCount, 0)
        let first = try driver.post(queue: VirtioNet.receiveQueue, writable: [2048])
        driver.notify(queue: VirtioNet.receiveQueue)
        let second = try driver.post(queue: VirtioNet.receiveQueue, writable: [2048])
        driver.notify(queue: VirtioNet.receiveQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.receiveQueue),
                       [.init(head: first.head, length: 12 + 64), .init(head: second.head, length: 12 + 100)])
        let packet = try memory.readBytes(at: first.writable[0].address, count: 12 + 64)
        XCTAssertEqual(Array(packet[0..<10]), Array(repeating: 0, count: 10))
        XCTAssertEqual(packet[10], 1, "num_buffers")
        XCTAssertEqual(Array(packet[12...]), Array(repeating: 0xaa, count: 64))
        XCTAssertTrue(device.wantsBackendInput)
        XCTAssertEqual(device.receivedFrames, 2)
    }

    func testHostileChainsFailOnlyTheirPacket() throws {
        // Shorter than the header, and longer than any frame: dropped, reported, the ring goes on.
        let short = try driver.post(queue: VirtioNet.transmitQueue, readable: [[1, 2, 3]])
        let long = try driver.post(queue: VirtioNet.transmitQueue, readable: [header() + Array(repeating: 7, count: VirtioNet.maximumFrame + 1)])
        let good = try driver.post(queue: VirtioNet.transmitQueue, readable: [header() + [9, 9]])
        driver.notify(queue: VirtioNet.transmitQueue)
        XCTAssertEqual(backend.sent, [[9, 9]])
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.transmitQueue).map(\.head), [short.head, long.head, good.head])
        XCTAssertEqual(faults.count, 2, "\(faults)")
        // A receive buffer too small for the frame: the frame is dropped, the buffer returned empty.
        backend.incoming = [Array(repeating: 1, count: 500)]
        let small = try driver.post(queue: VirtioNet.receiveQueue, writable: [100])
        driver.notify(queue: VirtioNet.receiveQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioNet.receiveQueue), [.init(head: small.head, length: 0)])
        XCTAssertEqual(device.droppedFrames, 3)
        XCTAssertEqual(transport.readRegister(MMIORegister.status) & DeviceStatus.deviceNeedsReset.rawValue, 0)
    }

    func testAFullBackendDropsFramesLikeANic() throws {
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
        let name = "rkttap\(getpid() % 10000)"
        let tap = try TapBackend(name: name)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/sys/class/net/\(name)"))
        XCTAssertNil(try tap.receive(), "nothing arrives on an interface that is down")
        XCTAssertThrowsError(try TapBackend(name: "bad/name"))
    }
}
