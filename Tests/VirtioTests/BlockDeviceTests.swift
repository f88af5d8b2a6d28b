import Virtio
import VirtioTestSupport
import XCTest

final class BlockDeviceTests: XCTestCase {
    private static let sectors = 64
    private var file: TemporaryFile!
    private var memory: GuestMemory!
    private var interrupt: CountingInterrupt!
    private var transport: MMIOTransport!
    private var driver: SimulatedGuestDriver!
    private var faults: [String] = []

    private static func pattern() -> [UInt8] {
        (0..<(sectors * 512)).map { UInt8(truncatingIfNeeded: $0 / 512 &* 31 &+ $0) }
    }

    override func setUpWithError() throws {
        file = try TemporaryFile(contents: Self.pattern())
        try bringUp(readOnly: false)
    }

    private func bringUp(readOnly: Bool) throws {
        memory = try GuestMemory(size: 1 << 20)
        interrupt = CountingInterrupt()
        let backend = try BlockFileBackend(path: file.path, readOnly: readOnly)
        let device = BlockDevice(backend: backend, identifier: "rkt-disk-1", queueSize: 64,
                                 reportFault: { [unowned self] in faults.append($0) })
        transport = MMIOTransport(device: device, memory: memory, interruptLine: interrupt)
        driver = SimulatedGuestDriver(transport: transport)
        try driver.initialize()
    }

    private func header(_ type: UInt32, sector: UInt64) -> [UInt8] {
        withUnsafeBytes(of: type.littleEndian) { Array($0) } + [0, 0, 0, 0]
            + withUnsafeBytes(of: sector.littleEndian) { Array($0) }
    }

    /// Posts, notifies, and returns (status byte, used length, posted chain).
    private func run(
        readable: [[UInt8]], writable: [Int]
    ) throws -> (status: UInt8?, used: UInt32, chain: SimulatedGuestDriver.PostedChain) {
        let chain = try driver.post(queue: 0, readable: readable, writable: writable)
        driver.notify(queue: 0)
        let used = try driver.takeUsed(queue: 0)
        XCTAssertEqual(used.map(\.head), [chain.head])
        var status: UInt8?
        if let last = chain.writable.last {
            status = try memory.read(UInt8.self, at: last.address + UInt64(last.length) - 1)
        }
        return (status, used.first?.length ?? 0, chain)
    }

    private func bytes(_ buffers: [GuestBuffer]) throws -> [UInt8] {
        try buffers.flatMap { try memory.readBytes(at: $0.address, count: Int($0.length)) }
    }

    func testConfigurationAndFeatures() throws {
        XCTAssertEqual(transport.readRegister(MMIORegister.deviceID), 2)
        XCTAssertEqual(transport.read(offset: 0x100, count: 8), withUnsafeBytes(of: UInt64(64).littleEndian) { Array($0) })
        XCTAssertEqual(transport.readRegister(0x100 + 12), 62, "seg_max")
        XCTAssertEqual(transport.readRegister(0x100 + 20), 512, "blk_size")
        let features = transport.negotiatedFeatures
        XCTAssertNotEqual(features & VirtioBlock.featureFlush, 0)
        XCTAssertEqual(features & VirtioBlock.featureReadOnly, 0)
    }

    func testReadSectors() throws {
        let result = try run(readable: [header(VirtioBlock.requestIn, sector: 2)], writable: [1024, 1])
        XCTAssertEqual(result.status, VirtioBlock.statusOK)
        XCTAssertEqual(result.used, 1025)
        XCTAssertEqual(try bytes([result.chain.writable[0]]), Array(Self.pattern()[1024..<2048]))
        XCTAssertEqual(interrupt.triggerCount, 1)
    }

    func testReadIntoOddlySplitBuffersWithSplitHeader() throws {
        let head = header(VirtioBlock.requestIn, sector: 5)
        let result = try run(readable: [Array(head[0..<8]), Array(head[8...])], writable: [100, 412, 513])
        XCTAssertEqual(result.status, VirtioBlock.statusOK)
        let data = try bytes(result.chain.writable).dropLast()
        XCTAssertEqual(Array(data), Array(Self.pattern()[2560..<3584]))
    }

    func testWriteSectorsThenReadBack() throws {
        let data = [UInt8](repeating: 0xC3, count: 1024)
        let write = try run(readable: [header(VirtioBlock.requestOut, sector: 10), Array(data[0..<300]), Array(data[300...])],
                            writable: [1])
        XCTAssertEqual(write.status, VirtioBlock.statusOK)
        XCTAssertEqual(write.used, 1)
        XCTAssertEqual(Array(file.contents[5120..<6144]), data)
        XCTAssertEqual(Array(file.contents[4096..<5120]), Array(Self.pattern()[4096..<5120]))
        let read = try run(readable: [header(VirtioBlock.requestIn, sector: 10)], writable: [1024, 1])
        XCTAssertEqual(try bytes([read.chain.writable[0]]), data)
    }

    func testFlush() throws {
        let result = try run(readable: [header(VirtioBlock.requestFlush, sector: 0)], writable: [1])
        XCTAssertEqual(result.status, VirtioBlock.statusOK)
        XCTAssertEqual(result.used, 1)
    }

    func testGetID() throws {
        let result = try run(readable: [header(VirtioBlock.requestGetID, sector: 0)], writable: [20, 1])
        XCTAssertEqual(result.status, VirtioBlock.statusOK)
        XCTAssertEqual(result.used, 21)
        XCTAssertEqual(try bytes([result.chain.writable[0]]), Array("rkt-disk-1".utf8) + [UInt8](repeating: 0, count: 10))
    }

    func testReadOnlyDiskRefusesWrites() throws {
        try bringUp(readOnly: true)
        XCTAssertNotEqual(transport.negotiatedFeatures & VirtioBlock.featureReadOnly, 0)
        let result = try run(readable: [header(VirtioBlock.requestOut, sector: 0), [UInt8](repeating: 1, count: 512)],
                             writable: [1])
        XCTAssertEqual(result.status, VirtioBlock.statusIOError)
        XCTAssertEqual(file.contents, Self.pattern())
        let read = try run(readable: [header(VirtioBlock.requestIn, sector: 0)], writable: [512, 1])
        XCTAssertEqual(read.status, VirtioBlock.statusOK)
    }

    func testOutOfRangeSectors() throws {
        for sector: UInt64 in [63, 64, 1 << 60, .max] {
            let result = try run(readable: [header(VirtioBlock.requestIn, sector: sector)], writable: [1024, 1])
            XCTAssertEqual(result.status, VirtioBlock.statusIOError, "sector \(sector)")
        }
        let last = try run(readable: [header(VirtioBlock.requestIn, sector: 63)], writable: [512, 1])
        XCTAssertEqual(last.status, VirtioBlock.statusOK)
        let write = try run(readable: [header(VirtioBlock.requestOut, sector: .max), [UInt8](repeating: 1, count: 512)],
                            writable: [1])
        XCTAssertEqual(write.status, VirtioBlock.statusIOError)
        XCTAssertEqual(file.contents.count, Self.sectors * 512)
    }

    func testPartialSectorLengthIsAnError() throws {
        let result = try run(readable: [header(VirtioBlock.requestIn, sector: 0)], writable: [100, 1])
        XCTAssertEqual(result.status, VirtioBlock.statusIOError)
    }

    func testShortHeaderIsAnError() throws {
        let result = try run(readable: [[0, 0, 0, 0, 0, 0, 0, 0]], writable: [1])
        XCTAssertEqual(result.status, VirtioBlock.statusIOError)
        XCTAssertEqual(result.used, 1)
    }

    func testRequestWithoutStatusByteCompletesEmpty() throws {
        let result = try run(readable: [header(VirtioBlock.requestIn, sector: 0)], writable: [])
        XCTAssertEqual(result.used, 0)
        XCTAssertTrue(faults.contains { $0.contains("no writable status byte") })
        XCTAssertEqual(try run(readable: [header(VirtioBlock.requestFlush, sector: 0)], writable: [1]).status, 0)
    }

    func testUnknownTypeIsUnsupported() throws {
        let result = try run(readable: [header(77, sector: 0)], writable: [1])
        XCTAssertEqual(result.status, VirtioBlock.statusUnsupported)
    }

    func testSeveralRequestsInOneNotification() throws {
        let first = try driver.post(queue: 0, readable: [header(VirtioBlock.requestIn, sector: 0)], writable: [512, 1])
        let second = try driver.post(queue: 0, readable: [header(VirtioBlock.requestIn, sector: 1)], writable: [512, 1])
        driver.notify(queue: 0)
        XCTAssertEqual(try driver.takeUsed(queue: 0), [.init(head: first.head, length: 513), .init(head: second.head, length: 513)])
        XCTAssertEqual(interrupt.triggerCount, 1)
    }

    func testMissingFileErrorNamesThePath() {
        XCTAssertThrowsError(try BlockFileBackend(path: file.directory.path + "/absent.img", readOnly: true)) { error in
            XCTAssertTrue("\(error)".contains("absent.img"), "\(error)")
        }
    }
}
