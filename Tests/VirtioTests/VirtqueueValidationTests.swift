import Virtio
import VirtioTestSupport
import XCTest

/// Hostile descriptor chains: each must fail its own request (used length 0 where the head is valid) and leave
/// the queue working; ring-level faults must set DEVICE_NEEDS_RESET. None may crash.
final class VirtqueueValidationTests: XCTestCase {
    private var memory: GuestMemory!
    private var device: RecordingDevice!
    private var transport: MMIOTransport!
    private var driver: SimulatedGuestDriver!

    override func setUpWithError() throws {
        try bringUp(memorySize: 1 << 20)
    }

    private func bringUp(memorySize: Int, accept: (UInt64) -> UInt64 = { $0 }) throws {
        memory = try GuestMemory(size: memorySize)
        device = RecordingDevice()
        transport = MMIOTransport(device: device, memory: memory, interruptLine: CountingInterrupt())
        driver = SimulatedGuestDriver(transport: transport, arenaEnd: 1 << 20)
        try driver.initialize(accept: accept)
    }

    private func buffer(_ length: Int = 64) throws -> UInt64 { try driver.allocate(length) }

    /// Posts `descriptors` at slots 0..., publishes `head`, notifies; returns what was rejected.
    private func submitHostile(_ descriptors: [UInt16: SimulatedDescriptor], head: UInt16 = 0) throws -> [VirtqueueError] {
        try driver.postRaw(queue: 0, descriptors: descriptors, heads: [head])
        driver.notify(queue: 0)
        return device.rejected
    }

    /// After a rejected chain the queue still serves a good one.
    private func assertQueueStillWorks(file: StaticString = #filePath, line: UInt = #line) throws {
        let before = device.chains.count
        let posted = try driver.post(queue: 0, readable: [[7, 7]], writable: [8])
        driver.notify(queue: 0)
        XCTAssertEqual(device.chains.count, before + 1, file: file, line: line)
        XCTAssertEqual(device.chains.last?.head, posted.head, file: file, line: line)
        XCTAssertFalse(transport.deviceStatus.contains(.deviceNeedsReset), file: file, line: line)
    }

    private func assertRejected(
        _ rejected: [VirtqueueError], _ expected: DescriptorChainError, head: UInt16 = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertEqual(rejected, [.malformedChain(head: head, expected)], file: file, line: line)
        if head < 16 {
            XCTAssertEqual(try driver.takeUsed(queue: 0), [.init(head: head, length: 0)], file: file, line: line)
        } else {
            XCTAssertEqual(try driver.takeUsed(queue: 0), [], file: file, line: line)
        }
        try assertQueueStillWorks(file: file, line: line)
    }

    func testWellFormedChainIsSplitIntoReadableAndWritable() throws {
        let posted = try driver.post(queue: 0, readable: [[1, 2, 3], [4]], writable: [10, 20])
        driver.notify(queue: 0)
        let chain = try XCTUnwrap(device.chains.first)
        XCTAssertEqual(chain.head, posted.head)
        XCTAssertEqual(chain.readable, posted.readable)
        XCTAssertEqual(chain.writable, posted.writable)
        XCTAssertEqual(chain.readableLength, 4)
        XCTAssertEqual(chain.writableLength, 30)
        XCTAssertEqual(try driver.takeUsed(queue: 0), [.init(head: posted.head, length: 0)])
    }

    func testHeadIndexBeyondQueueSize() throws {
        try assertRejected(try submitHostile([:], head: 16), .headOutOfRange(index: 16, queueSize: 16), head: 16)
    }

    func testNextIndexBeyondQueueSize() throws {
        let rejected = try submitHostile([0: .init(address: try buffer(), length: 8, flags: SimulatedDescriptor.next, next: 99)])
        try assertRejected(rejected, .nextOutOfRange(index: 99, tableSize: 16))
    }

    func testLoopingChainIsBounded() throws {
        let data = try buffer()
        let rejected = try submitHostile([
            0: .init(address: data, length: 8, flags: SimulatedDescriptor.next, next: 1),
            1: .init(address: data, length: 8, flags: SimulatedDescriptor.next, next: 0),
        ])
        try assertRejected(rejected, .chainTooLong(limit: 16))
    }

    func testSelfLoopIsBounded() throws {
        let rejected = try submitHostile([0: .init(address: try buffer(), length: 8, flags: SimulatedDescriptor.next, next: 0)])
        try assertRejected(rejected, .chainTooLong(limit: 16))
    }

    func testReadableAfterWritable() throws {
        let data = try buffer()
        let rejected = try submitHostile([
            0: .init(address: data, length: 8, flags: SimulatedDescriptor.write | SimulatedDescriptor.next, next: 1),
            1: .init(address: data, length: 8),
        ])
        try assertRejected(rejected, .readableAfterWritable(index: 1))
    }

    func testZeroLength() throws {
        try assertRejected(try submitHostile([0: .init(address: try buffer(), length: 0)]), .zeroLength(index: 0))
    }

    func testHugeLength() throws {
        let data = try buffer()
        let rejected = try submitHostile([0: .init(address: data, length: .max)])
        try assertRejected(rejected, .bufferOutsideMemory(address: data, length: .max))
    }

    func testAddressOutsideRAM() throws {
        let rejected = try submitHostile([0: .init(address: 1 << 40, length: 16)])
        try assertRejected(rejected, .bufferOutsideMemory(address: 1 << 40, length: 16))
    }

    func testAddressWrappingAroundTheAddressSpace() throws {
        let rejected = try submitHostile([0: .init(address: UInt64.max - 3, length: 16)])
        try assertRejected(rejected, .bufferOutsideMemory(address: UInt64.max - 3, length: 16))
    }

    func testBufferCrossingTheEndOfRAM() throws {
        let end = UInt64(memory.totalSize)
        let rejected = try submitHostile([0: .init(address: end - 8, length: 16)])
        try assertRejected(rejected, .bufferOutsideMemory(address: end - 8, length: 16))
    }

    func testTotalLengthOverflow() throws {
        // Descriptors may alias: three 2 GiB writable buffers over the same RAM add up past 4 GiB.
        try bringUp(memorySize: (1 << 31) + (1 << 20))
        let gigs2: UInt32 = 1 << 31
        let flags = SimulatedDescriptor.write | SimulatedDescriptor.next
        let rejected = try submitHostile([
            0: .init(address: 1 << 20, length: gigs2, flags: flags, next: 1),
            1: .init(address: 1 << 20, length: gigs2, flags: flags, next: 2),
            2: .init(address: 1 << 20, length: gigs2, flags: SimulatedDescriptor.write),
        ])
        try assertRejected(rejected, .totalLengthOverflow)
    }

    func testAvailableIndexJumpIsARingFault() throws {
        try driver.setAvailableIndex(queue: 0, 17)
        driver.notify(queue: 0)
        XCTAssertTrue(transport.deviceStatus.contains(.deviceNeedsReset))
        XCTAssertTrue(device.chains.isEmpty)
        // Further notifications are ignored until the driver resets the device.
        driver.notify(queue: 0)
        XCTAssertEqual(device.processed, [0])
    }

    func testIndirectTableIsFlattened() throws {
        let data = try buffer()
        let table = try driver.writeIndirectTable([
            .init(address: data, length: 4, flags: SimulatedDescriptor.next, next: 1),
            .init(address: data + 4, length: 4, flags: SimulatedDescriptor.next, next: 2),
            .init(address: data + 8, length: 16, flags: SimulatedDescriptor.write),
        ])
        let rejected = try submitHostile([0: .init(address: table, length: 48, flags: SimulatedDescriptor.indirect)])
        XCTAssertEqual(rejected, [])
        XCTAssertEqual(device.chains, [DescriptorChain(
            head: 0,
            readable: [GuestBuffer(address: data, length: 4), GuestBuffer(address: data + 4, length: 4)],
            writable: [GuestBuffer(address: data + 8, length: 16)])])
    }

    func testIndirectTableOnAnEightByteBoundaryIsAccepted() throws {
        let data = try buffer()
        let table = try driver.writeIndirectTable([
            .init(address: data, length: 4, flags: SimulatedDescriptor.next, next: 1),
            .init(address: data + 8, length: 8, flags: SimulatedDescriptor.write),
        ], misalignment: 8)
        XCTAssertEqual(table % 16, 8)
        let rejected = try submitHostile([0: .init(address: table, length: 32, flags: SimulatedDescriptor.indirect)])
        XCTAssertEqual(rejected, [])
        XCTAssertEqual(device.chains.first?.writable, [GuestBuffer(address: data + 8, length: 8)])
    }

    func testDirectDescriptorsBeforeAnIndirectTable() throws {
        let data = try buffer()
        let table = try driver.writeIndirectTable([.init(address: data + 8, length: 8, flags: SimulatedDescriptor.write)])
        _ = try submitHostile([
            0: .init(address: data, length: 8, flags: SimulatedDescriptor.next, next: 1),
            1: .init(address: table, length: 16, flags: SimulatedDescriptor.indirect),
        ])
        XCTAssertEqual(device.chains.first?.readable, [GuestBuffer(address: data, length: 8)])
        XCTAssertEqual(device.chains.first?.writable, [GuestBuffer(address: data + 8, length: 8)])
    }

    func testNestedIndirectIsRefused() throws {
        let inner = try driver.writeIndirectTable([.init(address: try buffer(), length: 8)])
        let outer = try driver.writeIndirectTable([.init(address: inner, length: 16, flags: SimulatedDescriptor.indirect)])
        let rejected = try submitHostile([0: .init(address: outer, length: 16, flags: SimulatedDescriptor.indirect)])
        try assertRejected(rejected, .nestedIndirect)
    }

    func testIndirectWithNextIsRefused() throws {
        let table = try driver.writeIndirectTable([.init(address: try buffer(), length: 8)])
        let rejected = try submitHostile([
            0: .init(address: table, length: 16, flags: SimulatedDescriptor.indirect | SimulatedDescriptor.next, next: 1),
        ])
        try assertRejected(rejected, .indirectWithNext)
    }

    func testIndirectTableWithPartialEntryIsRefused() throws {
        let table = try driver.writeIndirectTable([.init(address: try buffer(), length: 8)])
        let rejected = try submitHostile([0: .init(address: table, length: 20, flags: SimulatedDescriptor.indirect)])
        try assertRejected(rejected, .invalidIndirectTable(address: table, length: 20))
    }

    func testIndirectTableOutsideRAMIsRefused() throws {
        let rejected = try submitHostile([0: .init(address: 1 << 30, length: 64, flags: SimulatedDescriptor.indirect)])
        try assertRejected(rejected, .invalidIndirectTable(address: 1 << 30, length: 64))
    }

    func testLoopInsideIndirectTableIsBounded() throws {
        let data = try buffer()
        let table = try driver.writeIndirectTable([
            .init(address: data, length: 8, flags: SimulatedDescriptor.next, next: 1),
            .init(address: data, length: 8, flags: SimulatedDescriptor.next, next: 0),
        ])
        let rejected = try submitHostile([0: .init(address: table, length: 32, flags: SimulatedDescriptor.indirect)])
        try assertRejected(rejected, .chainTooLong(limit: 2))
    }

    func testIndirectWithoutNegotiationIsRefused() throws {
        try bringUp(memorySize: 1 << 20, accept: { $0 & ~VirtioFeatures.ringIndirectDescriptors })
        let table = try driver.writeIndirectTable([.init(address: try buffer(), length: 8)])
        let rejected = try submitHostile([0: .init(address: table, length: 16, flags: SimulatedDescriptor.indirect)])
        try assertRejected(rejected, .indirectNotNegotiated)
    }

    func testManyRequestsWrapTheRings() throws {
        for round in 0..<100 {
            try driver.post(queue: 0, readable: [[UInt8(truncatingIfNeeded: round)]])
            driver.notify(queue: 0)
        }
        XCTAssertEqual(device.chains.count, 100)
        XCTAssertEqual(try driver.takeUsed(queue: 0).count, 100)
    }
}
