import XCTest
@testable import VMM

/// A device that records accesses, for bus dispatch tests.
final class RecordingDevice: BusDevice, @unchecked Sendable {
    var writes: [(UInt64, [UInt8])] = []
    let fill: UInt8
    init(fill: UInt8) { self.fill = fill }
    func read(offset: UInt64, count: Int) -> [UInt8] { [UInt8](repeating: fill &+ UInt8(truncatingIfNeeded: offset), count: count) }
    func write(offset: UInt64, bytes: [UInt8]) { writes.append((offset, bytes)) }
}

final class BusTests: XCTestCase {
    func testDispatchByRangeWithOffsets() throws {
        let bus = MMIOBus()
        let a = RecordingDevice(fill: 0x10), b = RecordingDevice(fill: 0x20)
        try bus.register(b, address: 0xd000_1000, length: 0x1000)
        try bus.register(a, address: 0xd000_0000, length: 0x1000)
        XCTAssertEqual(bus.read(address: 0xd000_0004, count: 4), [0x14, 0x14, 0x14, 0x14])
        XCTAssertEqual(bus.read(address: 0xd000_1fff, count: 1), [0x20 &+ 0xff])
        XCTAssertNil(bus.read(address: 0xd000_2000, count: 1))
        XCTAssertNil(bus.read(address: 0xcfff_ffff, count: 1))
        XCTAssertTrue(bus.write(address: 0xd000_1050, bytes: [1, 0, 0, 0]))
        XCTAssertEqual(b.writes.first?.0, 0x50)
        XCTAssertFalse(bus.write(address: 0, bytes: [1]))
    }

    func testOverlappingEmptyAndWrappingRangesAreRejected() throws {
        let bus = MMIOBus()
        try bus.register(RecordingDevice(fill: 0), address: 0x1000, length: 0x100)
        XCTAssertThrowsError(try bus.register(RecordingDevice(fill: 0), address: 0x10ff, length: 1)) {
            XCTAssertEqual($0 as? BusError, .overlap(base: 0x10ff, length: 1, existingBase: 0x1000))
        }
        XCTAssertThrowsError(try bus.register(RecordingDevice(fill: 0), address: 0xf00, length: 0x101))
        XCTAssertNoThrow(try bus.register(RecordingDevice(fill: 0), address: 0x1100, length: 0x100))
        XCTAssertThrowsError(try bus.register(RecordingDevice(fill: 0), address: 0x5000, length: 0))
        XCTAssertThrowsError(try bus.register(RecordingDevice(fill: 0), address: UInt64.max - 1, length: 3))
        XCTAssertNoThrow(try bus.register(RecordingDevice(fill: 0), address: UInt64.max, length: 1))
    }

    func testPortBusBoundsAndManyDevices() throws {
        let bus = IOBus()
        XCTAssertThrowsError(try bus.register(RecordingDevice(fill: 0), port: 0xfffe, count: 3))
        for range in LegacyPortSink.standardRanges {
            try bus.register(LegacyPortSink(fill: range.fill), port: range.port, count: range.count)
        }
        XCTAssertEqual(bus.read(port: 0x2f8, count: 1), [0xff])
        XCTAssertEqual(bus.read(port: 0x71, count: 1), [0x00])
        XCTAssertEqual(bus.read(port: 0xcfc, count: 4), [0xff, 0xff, 0xff, 0xff])
        XCTAssertNil(bus.read(port: 0x3f8, count: 1))
        XCTAssertTrue(bus.write(port: 0x80, bytes: [0x12]))
    }
}
