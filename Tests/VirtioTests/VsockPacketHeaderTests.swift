import Virtio
import XCTest

final class VsockPacketHeaderTests: XCTestCase {
    func testWireLayoutIsLittleEndianAndPacked() {
        let header = VsockPacketHeader(
            sourceCID: 0x0102_0304_0506_0708, destinationCID: 2, sourcePort: 0x1122_3344, destinationPort: 0x55,
            length: 0x66, type: 1, operation: .creditUpdate, flags: 0x77, bufferAllocation: 0x8899_AABB,
            forwardCount: 0xCC)
        let bytes = header.bytes
        XCTAssertEqual(bytes.count, 44)
        XCTAssertEqual(Array(bytes[0..<8]), [8, 7, 6, 5, 4, 3, 2, 1])
        XCTAssertEqual(Array(bytes[8..<16]), [2, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Array(bytes[16..<20]), [0x44, 0x33, 0x22, 0x11])
        XCTAssertEqual(Array(bytes[20..<24]), [0x55, 0, 0, 0])
        XCTAssertEqual(Array(bytes[24..<28]), [0x66, 0, 0, 0])
        XCTAssertEqual(Array(bytes[28..<30]), [1, 0])
        XCTAssertEqual(Array(bytes[30..<32]), [6, 0])
        XCTAssertEqual(Array(bytes[32..<36]), [0x77, 0, 0, 0])
        XCTAssertEqual(Array(bytes[36..<40]), [0xBB, 0xAA, 0x99, 0x88])
        XCTAssertEqual(Array(bytes[40..<44]), [0xCC, 0, 0, 0])
        XCTAssertEqual(VsockPacketHeader(bytes: bytes), header)
    }

    func testShortInputDoesNotDecode() {
        XCTAssertNil(VsockPacketHeader(bytes: [UInt8](repeating: 0, count: 43)))
    }

    func testUnknownOperationDecodesWithoutAnOperation() {
        var bytes = [UInt8](repeating: 0, count: 44)
        bytes[30] = 8
        let header = VsockPacketHeader(bytes: bytes)
        XCTAssertEqual(header?.rawOperation, 8)
        XCTAssertNil(header?.operation)
    }
}
