#if canImport(Glibc)
import Glibc
#endif
import Virtio
import VirtioTestSupport
import XCTest

final class ConsoleDeviceTests: XCTestCase {
    private var pipeEnds: [Int32] = [-1, -1]
    private var memory: GuestMemory!
    private var interrupt: CountingInterrupt!
    private var device: ConsoleDevice!
    private var transport: MMIOTransport!
    private var driver: SimulatedGuestDriver!
    private var faults: [String] = []

    override func setUpWithError() throws {
        XCTAssertEqual(pipe(&pipeEnds), 0)
        XCTAssertEqual(fcntl(pipeEnds[0], F_SETFL, O_NONBLOCK), 0)
        try bringUp(outputDescriptor: pipeEnds[1], inputLimit: 1 << 20)
    }

    override func tearDown() {
        for end in pipeEnds where end >= 0 { close(end) }
    }

    private func bringUp(outputDescriptor: Int32, inputLimit: Int, accept: (UInt64) -> UInt64 = { $0 }) throws {
        memory = try GuestMemory(size: 1 << 20)
        interrupt = CountingInterrupt()
        device = ConsoleDevice(output: ConsoleOutput(descriptor: outputDescriptor, name: "test console"),
                               queueSize: 16, inputLimit: inputLimit,
                               reportFault: { [unowned self] in faults.append($0) })
        transport = MMIOTransport(device: device, memory: memory, interruptLine: interrupt)
        driver = SimulatedGuestDriver(transport: transport)
        try driver.initialize(accept: accept)
    }

    private func drainPipe() -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipeEnds[0], &chunk, chunk.count)
            guard count > 0 else { return bytes }
            bytes += chunk[0..<count]
        }
    }

    private func input(_ text: String) -> Int? {
        transport.withDevice(ConsoleDevice.self) { try $0.enqueueInput(Array(text.utf8)) }
    }

    func testIdentity() {
        XCTAssertEqual(transport.readRegister(MMIORegister.deviceID), 3)
        XCTAssertEqual(transport.read(offset: 0x100, count: 4), [0, 0, 0, 0])
    }

    func testTransmitWritesGuestOutputToTheDescriptor() throws {
        let chain = try driver.post(queue: VirtioConsole.transmitQueue, readable: [Array("hello ".utf8), Array("world\n".utf8)])
        driver.notify(queue: VirtioConsole.transmitQueue)
        XCTAssertEqual(String(decoding: drainPipe(), as: UTF8.self), "hello world\n")
        XCTAssertEqual(try driver.takeUsed(queue: VirtioConsole.transmitQueue), [.init(head: chain.head, length: 0)])
        XCTAssertEqual(interrupt.triggerCount, 1)
    }

    func testInputWaitsForReceiveBuffersAndIsSplitAcrossThem() throws {
        XCTAssertEqual(input("abc"), 3)
        XCTAssertEqual(device.pendingInputCount, 3)
        XCTAssertEqual(interrupt.triggerCount, 0)
        let first = try driver.post(queue: VirtioConsole.receiveQueue, writable: [2])
        let second = try driver.post(queue: VirtioConsole.receiveQueue, writable: [8])
        let third = try driver.post(queue: VirtioConsole.receiveQueue, writable: [8])
        driver.notify(queue: VirtioConsole.receiveQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioConsole.receiveQueue),
                       [.init(head: first.head, length: 2), .init(head: second.head, length: 1)])
        XCTAssertEqual(try memory.readBytes(at: first.writable[0].address, count: 2), Array("ab".utf8))
        XCTAssertEqual(try memory.readBytes(at: second.writable[0].address, count: 1), Array("c".utf8))
        XCTAssertEqual(device.pendingInputCount, 0)
        XCTAssertEqual(interrupt.triggerCount, 1)
        // Input arriving later goes straight into the buffer still posted.
        XCTAssertEqual(input("xyz"), 3)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioConsole.receiveQueue), [.init(head: third.head, length: 3)])
        XCTAssertEqual(try memory.readBytes(at: third.writable[0].address, count: 3), Array("xyz".utf8))
        XCTAssertEqual(interrupt.triggerCount, 2)
    }

    func testInputBeyondTheLimitIsRefused() throws {
        try bringUp(outputDescriptor: pipeEnds[1], inputLimit: 4)
        XCTAssertEqual(input("abcdef"), 4)
        XCTAssertEqual(input("g"), 0)
        XCTAssertEqual(device.pendingInputCount, 4)
    }

    func testInputBeforeActivationIsDeliveredAfterIt() throws {
        let memory = try GuestMemory(size: 1 << 20)
        let device = ConsoleDevice(output: ConsoleOutput(descriptor: pipeEnds[1], name: "early"), queueSize: 16)
        let transport = MMIOTransport(device: device, memory: memory, interruptLine: CountingInterrupt())
        XCTAssertEqual(transport.withDevice(ConsoleDevice.self) { try $0.enqueueInput([1, 2]) }, 2)
        let driver = SimulatedGuestDriver(transport: transport)
        try driver.negotiate()
        try driver.setUpQueue(0)
        try driver.setUpQueue(1)
        let chain = try driver.post(queue: 0, writable: [16])
        driver.finish()
        XCTAssertEqual(try driver.takeUsed(queue: 0), [.init(head: chain.head, length: 2)])
    }

    func testNoInterruptFlagSuppressesTransmitInterrupts() throws {
        try bringUp(outputDescriptor: pipeEnds[1], inputLimit: 16, accept: { $0 & ~VirtioFeatures.ringEventIndex })
        try driver.setNoInterrupt(queue: VirtioConsole.transmitQueue, true)
        try driver.post(queue: VirtioConsole.transmitQueue, readable: [[0x41]])
        driver.notify(queue: VirtioConsole.transmitQueue)
        XCTAssertEqual(drainPipe(), [0x41])
        XCTAssertEqual(interrupt.triggerCount, 0)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioConsole.transmitQueue).count, 1)
    }

    func testEventIndexSuppressesInterruptsUntilUsedEventPasses() throws {
        try driver.setUsedEvent(queue: VirtioConsole.transmitQueue, 2)
        for round in 0..<3 {
            try driver.post(queue: VirtioConsole.transmitQueue, readable: [[UInt8(0x30 + round)]])
            driver.notify(queue: VirtioConsole.transmitQueue)
        }
        // used idx 1: first check notifies; 2: event 2 not yet passed; 3: passed.
        XCTAssertEqual(interrupt.triggerCount, 2)
        XCTAssertEqual(drainPipe(), [0x30, 0x31, 0x32])
    }

    func testFailingOutputIsReportedAndTheChainStillCompletes() throws {
        let closed = dup(pipeEnds[1])
        close(closed)
        try bringUp(outputDescriptor: closed, inputLimit: 16)
        let chain = try driver.post(queue: VirtioConsole.transmitQueue, readable: [[1, 2, 3]])
        driver.notify(queue: VirtioConsole.transmitQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioConsole.transmitQueue), [.init(head: chain.head, length: 0)])
        XCTAssertTrue(faults.contains { $0.contains("test console") && $0.contains("Bad file descriptor") }, "\(faults)")
        XCTAssertFalse(transport.deviceStatus.contains(.deviceNeedsReset))
    }

    func testFullNonBlockingOutputDropsInsteadOfBlocking() throws {
        XCTAssertEqual(fcntl(pipeEnds[1], F_SETFL, O_NONBLOCK), 0)
        let filler = [UInt8](repeating: 0x2E, count: 4096)
        while write(pipeEnds[1], filler, filler.count) > 0 {}
        let chain = try driver.post(queue: VirtioConsole.transmitQueue, readable: [[1, 2, 3]])
        driver.notify(queue: VirtioConsole.transmitQueue)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioConsole.transmitQueue), [.init(head: chain.head, length: 0)])
        XCTAssertTrue(faults.contains { $0.contains("Resource temporarily unavailable") }, "\(faults)")
    }

    func testReceiveChainWithoutWritableBufferCompletesEmpty() throws {
        let chain = try driver.post(queue: VirtioConsole.receiveQueue, readable: [[9]])
        XCTAssertEqual(input("q"), 1)
        XCTAssertEqual(try driver.takeUsed(queue: VirtioConsole.receiveQueue), [.init(head: chain.head, length: 0)])
        XCTAssertEqual(device.pendingInputCount, 1)
    }
}
