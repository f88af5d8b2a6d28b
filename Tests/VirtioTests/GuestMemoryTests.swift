import Virtio
import XCTest

final class GuestMemoryTests: XCTestCase {
    func testIntegersRoundTripLittleEndian() throws {
        let memory = try GuestMemory(size: 4096)
        try memory.write(UInt32(0x1122_3344), at: 8)
        XCTAssertEqual(try memory.readBytes(at: 8, count: 4), [0x44, 0x33, 0x22, 0x11])
        XCTAssertEqual(try memory.read(UInt32.self, at: 8), 0x1122_3344)
        try memory.write(UInt64.max, at: 4088)
        XCTAssertEqual(try memory.read(UInt64.self, at: 4088), .max)
    }

    func testAccessCrossingTheEndIsRejected() throws {
        let memory = try GuestMemory(size: 4096)
        XCTAssertThrowsError(try memory.read(UInt64.self, at: 4090)) { error in
            XCTAssertEqual(error as? GuestMemoryError, .outOfBounds(address: 4090, length: 8))
        }
        XCTAssertThrowsError(try memory.write(bytes: [1, 2], at: 4095))
        XCTAssertThrowsError(try memory.readBytes(at: 0, count: 4097))
    }

    func testBulkWritesFromContiguousAndOtherCollections() throws {
        let memory = try GuestMemory(size: 4096)
        let image: [UInt8] = (0..<64).map { UInt8($0) }
        try memory.write(bytes: image[8..<40], at: 100)  // a slice: the single-copy path
        XCTAssertEqual(try memory.readBytes(at: 100, count: 32), Array(image[8..<40]))
        try memory.write(bytes: image.reversed(), at: 200)  // not contiguous: element by element
        XCTAssertEqual(try memory.readBytes(at: 200, count: 64), image.reversed())
        try memory.write(bytes: [UInt8](), at: 4096)
        XCTAssertThrowsError(try memory.write(bytes: image[0..<2], at: 4095))
        XCTAssertEqual(try memory.readBytes(at: 4095, count: 1), [0])
    }

    func testAddressesNearTheTopOfTheAddressSpaceDoNotWrap() throws {
        let memory = try GuestMemory(regions: [GuestMemoryRegion(guestAddress: 0x1000, size: 0x1000)])
        XCTAssertThrowsError(try memory.readBytes(at: UInt64.max - 2, count: 8))
        XCTAssertThrowsError(try memory.readBytes(at: 0xFFF, count: 2))
        XCTAssertFalse(memory.contains(0x1000, length: -1))
    }

    func testAccessSpanningTwoRegionsIsRejected() throws {
        let memory = try GuestMemory(regions: [
            GuestMemoryRegion(guestAddress: 0x2000, size: 0x1000),
            GuestMemoryRegion(guestAddress: 0x0, size: 0x2000),
        ])
        XCTAssertEqual(memory.regions.map(\.guestAddress), [0x0, 0x2000])
        XCTAssertNoThrow(try memory.write(UInt16(7), at: 0x1FFE))
        XCTAssertNoThrow(try memory.write(UInt16(7), at: 0x2000))
        XCTAssertThrowsError(try memory.write(UInt32(7), at: 0x1FFE))
        XCTAssertEqual(memory.totalSize, 0x3000)
    }

    func testOverlappingRegionsAreRefused() throws {
        XCTAssertThrowsError(try GuestMemory(regions: [
            GuestMemoryRegion(guestAddress: 0, size: 0x2000),
            GuestMemoryRegion(guestAddress: 0x1000, size: 0x1000),
        ])) { error in
            XCTAssertEqual(error as? GuestMemoryError, .overlappingRegions(0, 0x1000))
        }
    }

    func testZeroAndBulkBuffer() throws {
        let memory = try GuestMemory(size: 64)
        try memory.write(bytes: [UInt8](repeating: 0xAA, count: 64), at: 0)
        try memory.zero(at: 16, count: 16)
        let bytes = try memory.readBytes(at: 0, count: 64)
        XCTAssertEqual(bytes[15], 0xAA)
        XCTAssertEqual(bytes[16..<32].allSatisfy { $0 == 0 }, true)
        XCTAssertEqual(bytes[32], 0xAA)
    }
}
