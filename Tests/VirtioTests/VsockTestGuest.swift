#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Virtio
import VirtioTestSupport
import XCTest

/// A guest vsock driver over SimulatedGuestDriver plus the real hybrid Unix backend in a temporary directory:
/// posts receive buffers as Linux 6.1 does (header descriptor + payload descriptor), sends packets, reads what
/// the device delivered.
final class VsockTestGuest {
    static let cid: UInt64 = 3
    let directory: String
    let socketPath: String
    let memory: GuestMemory
    let interrupt = CountingInterrupt()
    let backend: VsockUnixBackend
    let device: VsockDevice
    let transport: MMIOTransport
    let driver: SimulatedGuestDriver
    private var postedReceive: [UInt16: SimulatedGuestDriver.PostedChain] = [:]

    init(limits: VsockLimits = VsockLimits()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vsock-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        socketPath = directory + "/v.sock"
        memory = try GuestMemory(size: 16 << 20)
        backend = try VsockUnixBackend(path: socketPath)
        var faultLog: [String] = []
        device = try VsockDevice(guestCID: Self.cid, backend: backend, queueSize: 128, limits: limits,
                                 reportFault: { faultLog.append($0) })
        transport = MMIOTransport(device: device, memory: memory, interruptLine: interrupt)
        driver = SimulatedGuestDriver(transport: transport)
        try driver.initialize()
        faultSink = { faultLog }
    }

    private var faultSink: () -> [String] = { [] }
    /// Faults the device reported so far.
    var reportedFaults: [String] { faultSink() }

    deinit {
        backend.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Receive chains posted and not yet used by the device.
    var outstandingReceiveBuffers: Int { postedReceive.count }

    /// Posts `count` receive chains with `payloadRoom` bytes after the header, and notifies.
    func postReceiveBuffers(_ count: Int, payloadRoom: Int = 4096) throws {
        for _ in 0..<count {
            let chain = try driver.post(queue: VirtioVsock.receiveQueue, writable: [VsockPacketHeader.size, payloadRoom])
            postedReceive[chain.head] = chain
        }
        driver.notify(queue: VirtioVsock.receiveQueue)
    }

    /// Sends one packet (header, then the payload in its own descriptor) and returns its used elements.
    @discardableResult
    func send(_ header: VsockPacketHeader, payload: [UInt8] = []) throws -> [SimulatedGuestDriver.UsedElement] {
        try sendRaw(payload.isEmpty ? [header.bytes] : [header.bytes, payload])
    }

    @discardableResult
    func sendRaw(_ readable: [[UInt8]]) throws -> [SimulatedGuestDriver.UsedElement] {
        try driver.post(queue: VirtioVsock.transmitQueue, readable: readable)
        driver.notify(queue: VirtioVsock.transmitQueue)
        return try driver.takeUsed(queue: VirtioVsock.transmitQueue)
    }

    /// A guest → host header.
    func header(
        _ operation: VsockOperation, from guestPort: UInt32, to hostPort: UInt32, length: UInt32 = 0, flags: UInt32 = 0,
        bufferAllocation: UInt32 = 1 << 16, forwardCount: UInt32 = 0
    ) -> VsockPacketHeader {
        VsockPacketHeader(sourceCID: Self.cid, destinationCID: VirtioVsock.hostCID, sourcePort: guestPort,
                          destinationPort: hostPort, length: length, operation: operation, flags: flags,
                          bufferAllocation: bufferAllocation, forwardCount: forwardCount)
    }

    /// Packets the device put in receive buffers since the last call.
    func received() throws -> [(header: VsockPacketHeader, payload: [UInt8])] {
        try driver.takeUsed(queue: VirtioVsock.receiveQueue).map { used in
            guard let chain = postedReceive.removeValue(forKey: used.head) else {
                throw SimulatedDriverError.queueUnavailable(Int(used.head))
            }
            XCTAssertGreaterThanOrEqual(Int(used.length), VsockPacketHeader.size)
            let headerBytes = try memory.readBytes(at: chain.writable[0].address, count: VsockPacketHeader.size)
            let header = try XCTUnwrap(VsockPacketHeader(bytes: headerBytes))
            XCTAssertEqual(Int(used.length), VsockPacketHeader.size + Int(header.length))
            let payload = try memory.readBytes(at: chain.writable[1].address, count: Int(header.length))
            return (header, payload)
        }
    }

    /// What the event loop does when the backend's descriptor is readable.
    func pumpHost(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotNil(transport.withDevice(VsockDevice.self) { try $0.handleBackendEvents() }, file: file, line: line)
    }

    var connectionKeys: [VsockConnectionKey] { transport.withDevice(VsockDevice.self) { $0.connectionKeys } ?? [] }
}
