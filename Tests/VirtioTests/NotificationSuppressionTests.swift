import Virtio
import VirtioTestSupport
import XCTest

final class NotificationSuppressionTests: XCTestCase {
    private func queue(eventIndex: Bool) throws -> (Virtqueue, SimulatedGuestDriver, GuestMemory) {
        let memory = try GuestMemory(size: 1 << 20)
        let transport = MMIOTransport(device: RecordingDevice(), memory: memory, interruptLine: CountingInterrupt())
        let driver = SimulatedGuestDriver(transport: transport)
        try driver.negotiate()
        let layout = try driver.setUpQueue(0, size: 16)
        var queue = Virtqueue(maxSize: 16)
        queue.isReady = true
        queue.descriptorTableAddress = layout.descriptorTable
        queue.availableRingAddress = layout.availableRing
        queue.usedRingAddress = layout.usedRing
        queue.eventIndexEnabled = eventIndex
        try queue.validate(in: memory)
        return (queue, driver, memory)
    }

    func testNoInterruptFlagSuppresses() throws {
        var (queue, driver, memory) = try queue(eventIndex: false)
        try queue.addUsed(head: 0, length: 0, in: memory)
        XCTAssertTrue(try queue.needsNotification(in: memory))
        try driver.setNoInterrupt(queue: 0, true)
        try queue.addUsed(head: 1, length: 0, in: memory)
        XCTAssertFalse(try queue.needsNotification(in: memory))
    }

    func testUsedEventDecidesWithEventIndex() throws {
        var (queue, driver, memory) = try queue(eventIndex: true)
        try driver.setNoInterrupt(queue: 0, true)  // ignored with EVENT_IDX
        try queue.addUsed(head: 0, length: 0, in: memory)
        XCTAssertTrue(try queue.needsNotification(in: memory), "the first check always notifies")
        try driver.setUsedEvent(queue: 0, 4)
        try queue.addUsed(head: 1, length: 0, in: memory)  // used idx 2
        XCTAssertFalse(try queue.needsNotification(in: memory))
        for head: UInt16 in 2...3 { try queue.addUsed(head: head, length: 0, in: memory) }  // used idx 4
        XCTAssertFalse(try queue.needsNotification(in: memory))
        try queue.addUsed(head: 4, length: 0, in: memory)  // used idx 5 passes used_event 4
        XCTAssertTrue(try queue.needsNotification(in: memory))
        try queue.addUsed(head: 5, length: 0, in: memory)
        XCTAssertFalse(try queue.needsNotification(in: memory))
    }

    func testEmptyQueuePublishesAvailableEvent() throws {
        var (queue, driver, memory) = try queue(eventIndex: true)
        try driver.post(queue: 0, readable: [[1]])
        try driver.post(queue: 0, readable: [[2]])
        XCTAssertNotNil(try queue.popAvailable(from: memory))
        XCTAssertNotNil(try queue.popAvailable(from: memory))
        XCTAssertNil(try queue.popAvailable(from: memory))
        XCTAssertEqual(try driver.availableEvent(queue: 0), 2)
    }

    func testBufferSpanningAGapBetweenRegionsIsRefused() throws {
        let memory = try GuestMemory(regions: [
            GuestMemoryRegion(guestAddress: 0, size: 0x10000),
            GuestMemoryRegion(guestAddress: 0x20000, size: 0x10000),
        ])
        var queue = Virtqueue(maxSize: 4)
        queue.isReady = true
        queue.descriptorTableAddress = 0x1000
        queue.availableRingAddress = 0x2000
        queue.usedRingAddress = 0x3000
        try queue.validate(in: memory)
        try memory.write(UInt64(0xFF00), at: 0x1000)  // addr: 256 bytes before the gap
        try memory.write(UInt32(0x200), at: 0x1008)  // len: runs into the gap
        try memory.write(UInt16(1), at: 0x2002)  // avail idx 1, ring[0] = head 0
        XCTAssertThrowsError(try queue.popAvailable(from: memory)) { error in
            XCTAssertEqual(error as? VirtqueueError,
                           .malformedChain(head: 0, .bufferOutsideMemory(address: 0xFF00, length: 0x200)))
        }
        queue.usedRingAddress = 0x1F000  // inside the gap
        XCTAssertThrowsError(try queue.validate(in: memory)) { error in
            XCTAssertEqual(error as? VirtqueueError, .ringOutsideMemory(name: "used ring", address: 0x1F000, length: 38))
        }
    }

    func testAddUsedRefusesHeadBeyondSize() throws {
        var (queue, _, memory) = try queue(eventIndex: false)
        XCTAssertThrowsError(try queue.addUsed(head: 16, length: 0, in: memory)) { error in
            XCTAssertEqual(error as? VirtqueueError, .usedHeadOutOfRange(head: 16, queueSize: 16))
        }
    }
}
