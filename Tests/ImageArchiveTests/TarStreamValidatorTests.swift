@testable import ImageArchive
import XCTest

/// The structural tar check the decompressor applies, fed hand-made blocks.
final class TarStreamValidatorTests: XCTestCase {
    /// A ustar header block with a valid checksum.
    private func header(name: String, type: Character, size: Int, sizeField: [UInt8]? = nil) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        block.replaceSubrange(0..<name.utf8.count, with: name.utf8)
        let octal = { (value: Int, width: Int) -> [UInt8] in
            Array(String(value, radix: 8).leftPadded(to: width - 1).utf8) + [0]
        }
        block.replaceSubrange(100..<108, with: octal(0o644, 8))
        block.replaceSubrange(124..<136, with: sizeField ?? octal(size, 12))
        block.replaceSubrange(136..<148, with: octal(0, 12))
        block[156] = UInt8(ascii: type.unicodeScalars.first!)
        block.replaceSubrange(257..<263, with: Array("ustar".utf8) + [0])
        block.replaceSubrange(263..<265, with: Array("00".utf8))
        block.replaceSubrange(148..<156, with: [UInt8](repeating: 0x20, count: 8))
        let sum = block.reduce(0) { $0 + Int($1) }
        block.replaceSubrange(148..<156, with: octal(sum, 7) + [0x20])
        return block
    }

    private func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
    }

    private func validate(_ stream: [UInt8], chunk: Int = 100) throws {
        var validator = TarStreamValidator()
        var offset = 0
        while offset < stream.count {
            let end = min(offset + chunk, stream.count)
            try stream[offset..<end].withUnsafeBytes { try validator.consume($0) }
            offset = end
        }
        try validator.finish()
    }

    private let end = [UInt8](repeating: 0, count: 1024)

    func testCompleteArchiveInAnyChunkingIsAccepted() throws {
        let data = [UInt8](repeating: 0x61, count: 700)
        let stream = header(name: "a", type: "0", size: 700) + padded(data) + header(name: "d", type: "5", size: 0) + end
        for chunk in [1, 511, 512, 513, 4096] {
            XCTAssertNoThrow(try validate(stream, chunk: chunk), "chunk \(chunk)")
        }
    }

    func testPaxSizeOverridesTheHeaderField() throws {
        let record = "12 size=700\n"
        let stream = header(name: "pax", type: "x", size: record.utf8.count) + padded(Array(record.utf8))
            + header(name: "big", type: "0", size: 0) + padded([UInt8](repeating: 1, count: 700)) + end
        XCTAssertNoThrow(try validate(stream))
        XCTAssertThrowsError(try validate(Array(stream.prefix(stream.count - 1024 - 512))))
    }

    func testBase256SizeIsUnderstood() throws {
        let field: [UInt8] = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0xBC]  // 700
        let stream = header(name: "b", type: "0", size: 0, sizeField: field) + padded([UInt8](repeating: 2, count: 700)) + end
        XCTAssertNoThrow(try validate(stream))
    }

    func testTruncationBadChecksumAndMissingEndAreRefused() throws {
        let whole = header(name: "a", type: "0", size: 700) + padded([UInt8](repeating: 0x61, count: 700)) + end
        XCTAssertThrowsError(try validate(Array(whole.prefix(1000))))
        XCTAssertThrowsError(try validate(Array(whole.prefix(1024))), "no end marker")
        var corrupt = whole
        corrupt[0] ^= 0xFF
        XCTAssertThrowsError(try validate(corrupt))
        XCTAssertThrowsError(try validate(end), "no entries")
        XCTAssertThrowsError(try validate([]), "empty")
        let badPax = header(name: "pax", type: "x", size: 9) + padded(Array("99 size=1".utf8)) + end
        XCTAssertThrowsError(try validate(badPax))
        let absurd: [UInt8] = [0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        XCTAssertThrowsError(try validate(header(name: "z", type: "0", size: 0, sizeField: absurd) + end))
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
