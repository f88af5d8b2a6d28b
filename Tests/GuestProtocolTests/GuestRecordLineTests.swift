import GuestProtocol
import XCTest

final class GuestRecordLineTests: XCTestCase {
    func testFieldsWithSpacesControlsPercentAndEmptyRoundTrip() throws {
        let fields = ["exec", "/bin/sh", "-c", "echo hi; exit 3", "", "100%", "tab\there", "new\nline", "ünï", "%%"]
        let line = GuestRecordLine.encode(fields)
        XCTAssertFalse(line.utf8.contains(0x0A))
        XCTAssertEqual(line.split(separator: " ").count, fields.count)
        XCTAssertEqual(try GuestRecordLine.decode(Array(line.utf8)), fields)
    }

    func testEmptyLineHasNoFields() throws {
        XCTAssertEqual(try GuestRecordLine.decode([UInt8]()), [])
    }

    func testMalformedLinesAreRefused() {
        for bad in ["a  b", " a", "a ", "%4", "%zz", "a%2", "%%x", "x%%", "a\u{01}b", "a\u{7f}"] {
            XCTAssertThrowsError(try GuestRecordLine.decode(Array(bad.utf8)), "accepted \(bad.debugDescription)")
        }
        XCTAssertThrowsError(try GuestRecordLine.decode([0x25, 0x46, 0x46]), "a lone 0xFF byte is not UTF-8")
    }

    func testOverlongLinesAndTooManyFieldsAreRefused() {
        let long = [UInt8](repeating: 0x61, count: GuestRecordLine.maximumLength + 1)
        XCTAssertThrowsError(try GuestRecordLine.decode(long))
        let many = Array(Array(repeating: "a", count: GuestRecordLine.maximumFields + 1).joined(separator: " ").utf8)
        XCTAssertThrowsError(try GuestRecordLine.decode(many))
    }

    func testRandomFieldsRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let fields = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                String(decoding: (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                    UInt8.random(in: 1...0x7F, using: &generator)
                }, as: UTF8.self)
            }
            XCTAssertEqual(try GuestRecordLine.decode(Array(GuestRecordLine.encode(fields).utf8)), fields)
        }
    }
}
