import Virtio
import VirtioTestSupport
import XCTest

/// Random guest behaviour (seeded, so failures repeat): garbage descriptor tables, indirect tables made of
/// random bytes, random available indices and random register writes. The device must neither crash nor
/// touch memory outside guest RAM, and must keep serving or flag DEVICE_NEEDS_RESET.
final class HostileGuestFuzzTests: XCTestCase {
    private static let ramSize = 1 << 20

    private func randomDescriptor(_ random: inout SeededGenerator, size: UInt16) -> SimulatedDescriptor {
        let address: UInt64
        switch random.next() % 8 {
        case 0: address = random.next()
        case 1: address = UInt64(Self.ramSize) - random.next() % 64
        default: address = 0x80000 + random.next() % 0x70000
        }
        let length: UInt32
        switch random.next() % 8 {
        case 0: length = 0
        case 1: length = UInt32.max - UInt32(random.next() % 16)
        case 2: length = UInt32(16 * (random.next() % 8))
        default: length = UInt32(1 + random.next() % 2048)
        }
        let flags = UInt16(truncatingIfNeeded: random.next() % 8)
        let next = UInt16(truncatingIfNeeded: random.next() % UInt64(size + 4))
        return SimulatedDescriptor(address: address, length: length, flags: flags, next: next)
    }

    func testRandomChainsNeverCrashTheDevice() throws {
        var random = SeededGenerator(seed: 0x5EED_0001)
        let memory = try GuestMemory(size: Self.ramSize)
        let device = RecordingDevice()
        let transport = MMIOTransport(device: device, memory: memory, interruptLine: CountingInterrupt())
        var driver = SimulatedGuestDriver(transport: transport, arenaEnd: 0x80000)
        try driver.initialize()
        // Random bytes where descriptors point, so indirect tables there are garbage too.
        try memory.write(bytes: (0..<0x80000).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: 0x80000)
        var resets = 0
        for _ in 0..<2000 {
            var descriptors: [UInt16: SimulatedDescriptor] = [:]
            for slot in 0..<UInt16(16) { descriptors[slot] = randomDescriptor(&random, size: 16) }
            let heads = (0..<(1 + random.next() % 4)).map { _ in UInt16(truncatingIfNeeded: random.next() % 20) }
            try driver.postRaw(queue: 0, descriptors: descriptors, heads: heads)
            if random.next() % 50 == 0 {
                try driver.setAvailableIndex(queue: 0, UInt16(truncatingIfNeeded: random.next()))
            }
            driver.notify(queue: 0)
            for chain in device.chains {
                for buffer in chain.readable + chain.writable {
                    XCTAssertTrue(memory.contains(buffer.address, length: Int(buffer.length)))
                }
            }
            device.chains.removeAll()
            if transport.deviceStatus.contains(.deviceNeedsReset) {
                resets += 1
                driver = SimulatedGuestDriver(transport: transport, arenaEnd: 0x80000)
                try driver.initialize()
            }
        }
        XCTAssertGreaterThan(device.rejected.count, 1000)
        XCTAssertGreaterThan(resets, 0)
    }

    func testRandomBlockRequestsNeverCrashTheDevice() throws {
        var random = SeededGenerator(seed: 0x5EED_0002)
        let file = try TemporaryFile(contents: [UInt8](repeating: 0x55, count: 16 * 512))
        let memory = try GuestMemory(size: Self.ramSize)
        let device = BlockDevice(backend: try BlockFileBackend(path: file.path, readOnly: false), identifier: "fuzz")
        let transport = MMIOTransport(device: device, memory: memory, interruptLine: CountingInterrupt())
        let driver = SimulatedGuestDriver(transport: transport)
        try driver.initialize(queueSize: 64)
        let mark = driver.arenaMark
        var dataReturned = 0
        for _ in 0..<500 {
            var header = (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            header[0] = UInt8(random.next() % 10)
            header[1...3] = [0, 0, 0]
            if random.next() % 2 == 0 { header[9...15] = [0, 0, 0, 0, 0, 0, 0] }
            let headerSplit = Int(random.next() % 17)
            var readable = [Array(header[0..<headerSplit]), Array(header[headerSplit...])].filter { !$0.isEmpty }
            if random.next() % 3 == 0 { readable.append([UInt8](repeating: 0xAB, count: Int(1 + random.next() % 1500))) }
            let writable = (0..<(random.next() % 3)).map { _ in Int(1 + random.next() % 1100) }
            try driver.post(queue: 0, readable: readable, writable: writable)
            driver.notify(queue: 0)
            let used = try driver.takeUsed(queue: 0)
            XCTAssertEqual(used.count, 1)
            XCTAssertLessThanOrEqual(Int(used.first?.length ?? 0), writable.reduce(0, +))
            if (used.first?.length ?? 0) > 1 { dataReturned += 1 }
            driver.release(to: mark)
        }
        XCTAssertGreaterThan(dataReturned, 5, "some random requests are valid reads or GET_IDs")
        XCTAssertEqual(file.contents.count, 16 * 512)
        XCTAssertFalse(transport.deviceStatus.contains(.deviceNeedsReset))
    }

    func testRandomRegisterTrafficNeverCrashesTheTransport() throws {
        var random = SeededGenerator(seed: 0x5EED_0003)
        let memory = try GuestMemory(size: Self.ramSize)
        let device = RecordingDevice()
        let transport = MMIOTransport(device: device, memory: memory, interruptLine: CountingInterrupt())
        for _ in 0..<20000 {
            let offset = Int(random.next() % 0x1010)
            let count = [1, 2, 4, 8, 3][Int(random.next() % 5)]
            if random.next() % 2 == 0 {
                XCTAssertEqual(transport.read(offset: offset, count: count).count, count)
            } else {
                let value = UInt32(truncatingIfNeeded: random.next() % 4 == 0 ? random.next() % 16 : random.next())
                let bytes = Array(withUnsafeBytes(of: value) { Array($0) }.prefix(min(count, 4)))
                transport.write(offset: offset, bytes: bytes)
            }
            if random.next() % 100 == 0 {
                // Sometimes walk the status machine the way a driver would, with random features and queues.
                transport.writeRegister(MMIORegister.status, 0)
                for bit: UInt32 in [1, 3, 11, 15] where random.next() % 8 != 0 {
                    if bit == 11 {
                        transport.writeRegister(MMIORegister.driverFeaturesSelect, 1)
                        transport.writeRegister(MMIORegister.driverFeatures, 1)
                    }
                    transport.writeRegister(MMIORegister.status, bit)
                }
            }
        }
        XCTAssertEqual(transport.readRegister(MMIORegister.magicValue), MMIOTransport.magicValue)
    }
}
