import Synchronization
import Virtio
import VirtioTestSupport
import XCTest

final class MMIOTransportTests: XCTestCase {
    private final class FaultLog: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    private var memory: GuestMemory!
    private var device: RecordingDevice!
    private var interrupt: CountingInterrupt!
    private var faults: FaultLog!
    private var transport: MMIOTransport!
    private var driver: SimulatedGuestDriver!

    override func setUpWithError() throws {
        memory = try GuestMemory(size: 1 << 20)
        device = RecordingDevice()
        interrupt = CountingInterrupt()
        let faults = FaultLog()
        self.faults = faults
        transport = MMIOTransport(device: device, memory: memory, interruptLine: interrupt,
                                  reportFault: { faults.append($0) })
        driver = SimulatedGuestDriver(transport: transport)
    }

    func testIdentificationRegisters() {
        XCTAssertEqual(transport.readRegister(MMIORegister.magicValue), 0x7472_6976)
        XCTAssertEqual(transport.readRegister(MMIORegister.version), 2)
        XCTAssertEqual(transport.readRegister(MMIORegister.deviceID), 42)
        XCTAssertEqual(transport.read(offset: 0, count: 4), Array("virt".utf8))
        XCTAssertEqual(transport.readRegister(MMIORegister.sharedMemoryLengthLow), UInt32.max)
    }

    func testFullBringUpActivatesWithNegotiatedQueues() throws {
        let accepted = try driver.initialize(accept: { $0 & ~VirtioFeatures.ringEventIndex })
        XCTAssertEqual(driver.status, [.acknowledge, .driver, .featuresOK, .driverOK])
        XCTAssertTrue(transport.isActivated)
        XCTAssertEqual(transport.negotiatedFeatures, accepted)
        XCTAssertEqual(device.activations.count, 1)
        let queues = try XCTUnwrap(device.activations.first?.queues)
        XCTAssertEqual(queues.map(\.size), [16, 8])
        XCTAssertEqual(queues.map(\.isReady), [true, true])
        XCTAssertFalse(queues[0].eventIndexEnabled)
        XCTAssertTrue(queues[0].indirectDescriptorsEnabled)
        XCTAssertEqual(queues[1].descriptorTableAddress, driver.queues[1]?.descriptorTable)
    }

    func testFeaturesOKWithoutVersion1IsRefused() throws {
        XCTAssertThrowsError(try driver.negotiate(accept: { $0 & ~VirtioFeatures.version1 })) { error in
            XCTAssertEqual(error as? SimulatedDriverError, .featuresRefused(status: 3))
        }
        XCTAssertTrue(faults.all.contains { $0.contains("VIRTIO_F_VERSION_1") })
        driver.finish()
        XCTAssertFalse(transport.isActivated)
        XCTAssertFalse(driver.status.contains(.driverOK))
    }

    func testFeaturesOKWithUnofferedFeatureIsRefused() throws {
        XCTAssertThrowsError(try driver.negotiate(accept: { $0 | (1 << 40) }))
        XCTAssertFalse(driver.status.contains(.featuresOK))
    }

    func testStatusBitsOutOfOrderAreRefused() {
        driver.writeStatus(DeviceStatus.driver.rawValue)
        XCTAssertEqual(driver.status, [])
        driver.writeStatus(DeviceStatus([.acknowledge, .driver, .driverOK]).rawValue)
        XCTAssertEqual(driver.status, [.acknowledge, .driver])
        driver.writeStatus(DeviceStatus.acknowledge.rawValue)  // clears DRIVER without reset
        XCTAssertEqual(driver.status, [.acknowledge, .driver])
    }

    func testQueueRegistersAreIgnoredOutsideSetUpPhase() throws {
        driver.configureQueue(0, size: 4, descriptorTable: 0x1000, availableRing: 0x2000, usedRing: 0x3000)
        transport.writeRegister(MMIORegister.queueSelect, 0)
        XCTAssertEqual(transport.readRegister(MMIORegister.queueReady), 0)
        XCTAssertEqual(transport.readRegister(MMIORegister.queueNum), 16)
        XCTAssertTrue(faults.all.contains { $0.contains("queue register") })
    }

    func testResetClearsQueuesFeaturesAndInterrupts() throws {
        try driver.initialize()
        try driver.post(queue: 0, readable: [[1]])
        driver.notify(queue: 0)
        XCTAssertEqual(device.chains.count, 1)
        driver.writeStatus(0)
        XCTAssertEqual(driver.status, [])
        XCTAssertFalse(transport.isActivated)
        XCTAssertEqual(device.resets, 1)
        XCTAssertEqual(transport.negotiatedFeatures, 0)
        transport.writeRegister(MMIORegister.queueSelect, 0)
        XCTAssertEqual(transport.readRegister(MMIORegister.queueReady), 0)
        XCTAssertEqual(transport.readRegister(MMIORegister.queueDescriptorLow), 0)
        XCTAssertEqual(transport.readRegister(MMIORegister.interruptStatus), 0)
        // A fresh bring-up works after reset, and notifications before it are ignored.
        driver.notify(queue: 0)
        XCTAssertEqual(device.processed, [0])
        try driver.initialize()
        XCTAssertEqual(device.activations.count, 2)
    }

    func testConfigurationSpaceReadsAndWrites() {
        XCTAssertEqual(transport.read(offset: 0x100, count: 4), [1, 2, 3, 4])
        XCTAssertEqual(transport.read(offset: 0x106, count: 4), [7, 8, 0, 0])
        XCTAssertEqual(transport.read(offset: 0x180, count: 8), [0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(transport.read(offset: 0xFFE, count: 4), [0, 0, 0, 0])
        transport.write(offset: 0x101, bytes: [9])
        XCTAssertEqual(device.config[1], 9)
        XCTAssertEqual(transport.read(offset: 0x1000, count: 4), [0, 0, 0, 0])
    }

    func testMisalignedAndNarrowRegisterAccessIsIgnored() {
        XCTAssertEqual(transport.read(offset: 0x2, count: 4), [0, 0, 0, 0])
        XCTAssertEqual(transport.read(offset: 0x0, count: 2), [0, 0])
        transport.write(offset: MMIORegister.status, bytes: [1])
        XCTAssertEqual(driver.status, [])
        XCTAssertEqual(faults.all.count, 3)
    }

    func testMisplacedRingSetsNeedsResetInsteadOfActivating() throws {
        try driver.negotiate()
        driver.configureQueue(0, size: 16, descriptorTable: 0x1008, availableRing: 0x2000, usedRing: 0x3000)
        driver.finish()
        XCTAssertFalse(transport.isActivated)
        XCTAssertTrue(driver.status.contains(.deviceNeedsReset))
        XCTAssertEqual(transport.readRegister(MMIORegister.interruptStatus), VirtioInterrupt.configurationChangeBit)
        XCTAssertEqual(transport.readRegister(MMIORegister.configGeneration), 1)
        XCTAssertEqual(interrupt.triggerCount, 1)
        XCTAssertTrue(faults.all.contains { $0.contains("not aligned") })
    }

    func testRingOutsideMemoryOrBadSizeSetsNeedsReset() throws {
        for (size, used) in [(UInt16(16), UInt64(1 << 20) - 8), (12, 0x3000), (32, 0x3000)] {
            try driver.negotiate()
            driver.configureQueue(0, size: size, descriptorTable: 0x1000, availableRing: 0x2000, usedRing: used)
            driver.finish()
            XCTAssertTrue(driver.status.contains(.deviceNeedsReset), "size \(size) used 0x\(String(used, radix: 16))")
            XCTAssertFalse(transport.isActivated)
        }
    }

    func testFailedActivationSetsNeedsReset() throws {
        device.failActivation = true
        try driver.initialize()
        XCTAssertTrue(driver.status.contains(.deviceNeedsReset))
        XCTAssertFalse(transport.isActivated)
    }

    func testInterruptAcknowledgeClearsBits() throws {
        try transport.interrupt.signalUsedBuffers()
        try transport.interrupt.signalConfigurationChange()
        XCTAssertEqual(transport.readRegister(MMIORegister.interruptStatus), 3)
        transport.writeRegister(MMIORegister.interruptACK, 1)
        XCTAssertEqual(transport.readRegister(MMIORegister.interruptStatus), 2)
        XCTAssertEqual(interrupt.triggerCount, 2)
    }

    func testNotifyOfAbsentQueueIsReported() throws {
        try driver.initialize()
        transport.notify(queue: 7)
        XCTAssertEqual(device.processed, [])
        XCTAssertTrue(faults.all.contains { $0.contains("queue 7") })
    }

    func testCommandLineFragment() {
        XCTAssertEqual(MMIOTransport.commandLineFragment(baseAddress: 0xD000_0000, irq: 5),
                       "virtio_mmio.device=4K@0xd0000000:5")
        XCTAssertEqual(MMIOTransport.commandLineFragment(baseAddress: 0xD000_1000, size: 0x200, irq: 12),
                       "virtio_mmio.device=512@0xd0001000:12")
        XCTAssertEqual(MMIOTransport.queueNotifyOffset, 0x50)
    }

    func testConcurrentRegisterAccessAndNotifications() throws {
        try driver.initialize()
        let transport = self.transport!
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for _ in 0..<500 {
                if worker == 0 { transport.notify(queue: 1) } else {
                    _ = transport.readRegister(MMIORegister.interruptStatus)
                    _ = transport.read(offset: 0x100, count: 4)
                }
            }
        }
        XCTAssertEqual(device.processed.count, 500)
    }
}
