import Virtio
import XCTest

final class DescriptorChainDataTests: XCTestCase {
    private let buffers = [
        GuestBuffer(address: 0x100, length: 4),
        GuestBuffer(address: 0x200, length: 2),
        GuestBuffer(address: 0x300, length: 8),
    ]

    func testSegmentsSliceAcrossBuffers() {
        XCTAssertEqual(DescriptorChain.segments(of: buffers, offset: 3, count: 5), [
            GuestBuffer(address: 0x103, length: 1),
            GuestBuffer(address: 0x200, length: 2),
            GuestBuffer(address: 0x300, length: 2),
        ])
        XCTAssertEqual(DescriptorChain.segments(of: buffers, offset: 6, count: 8), [GuestBuffer(address: 0x300, length: 8)])
        XCTAssertEqual(DescriptorChain.segments(of: buffers, offset: 14, count: 0), [])
    }

    func testReadAndWriteStopAtTheChainsEnd() throws {
        let memory = try GuestMemory(size: 0x1000)
        try memory.write(bytes: [1, 2, 3, 4], at: 0x100)
        try memory.write(bytes: [5, 6], at: 0x200)
        let chain = DescriptorChain(head: 0, readable: Array(buffers[0..<2]), writable: [buffers[2]])
        XCTAssertEqual(try chain.readReadable(from: memory, offset: 2, count: 100), [3, 4, 5, 6])
        XCTAssertEqual(try chain.readReadable(from: memory, offset: 10, count: 4), [])
        XCTAssertEqual(try chain.writeWritable([9, 9, 9, 9, 9, 9, 9, 9, 9, 9], to: memory, offset: 3), 5)
        XCTAssertEqual(try memory.readBytes(at: 0x300, count: 8), [0, 0, 0, 9, 9, 9, 9, 9])
        XCTAssertEqual(try chain.writeWritable([1], to: memory, offset: 8), 0)
    }
}
