import AppC
import Foundation
import XCTest

final class JSONValueTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: Data(text.utf8))
    }

    private func assertRejected(_ text: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(fragment), "\(error)", file: file, line: line)
        }
    }

    func testValues() throws {
        let value = try parse(#" {"a": [true, false, null, -0.5e+3, 12], "b": "x\u00e9\ud83d\ude00\n\"", "c": {}} "#)
        XCTAssertEqual(value["a"], .array([.bool(true), .bool(false), .null, .number("-0.5e+3"), .number("12")]))
        XCTAssertEqual(value["b"], .string("xé😀\n\""))
        XCTAssertEqual(value["c"], .object([]))
        XCTAssertEqual(JSONValue.number("12").intValue, 12)
        XCTAssertNil(JSONValue.number("1e2").intValue)
    }

    func testSerializationKeepsOrderAndNumbers() throws {
        let text = #"{"z":1.50,"a":[{"y":null,"b":"\u0001\\\"/"}],"m":-0}"#
        let value = try parse(text)
        XCTAssertEqual(value.serialized(pretty: false), #"{"z":1.50,"a":[{"y":null,"b":"\u0001\\\"/"}],"m":-0}"#)
        XCTAssertEqual(try parse(value.serialized(pretty: true)), value)
    }

    func testHostileDocuments() {
        assertRejected(#"{"a":1,"a":2}"#, "duplicate member")
        assertRejected(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), "nesting deeper")
        assertRejected("{\"a\":\"\u{01}\"}", "control character")
        assertRejected(#"{"a":1} x"#, "after the JSON value")
        assertRejected(#"{"a":01}"#, "expected ',' or '}'")
        assertRejected(#"{"a":1.}"#, "digit after '.'")
        assertRejected(#"{"a":"\ud800"}"#, "unpaired surrogate")
        assertRejected(#"{"a":"\x"}"#, "invalid escape")
        assertRejected(#"{"a":tru}"#, "expected \"true\"")
        assertRejected(#"{"a":1,}"#, "member name")
        assertRejected(#"[1,]"#, "unexpected character")
        assertRejected(#"{"a""#, "expected ':'")
        assertRejected(#""abc"#, "unterminated string")
        assertRejected("", "unexpected end")
        XCTAssertThrowsError(try JSONValue(parsing: Data([0x22, 0xFF, 0xFE, 0x22]))) { error in
            XCTAssertTrue("\(error)".contains("UTF-8"))
        }
    }

    func testManifestErrorsFromBrokenJSON() {
        XCTAssertThrowsError(try ImageManifest(jsonData: Data(#"{"acKind":"ImageManifest",}"#.utf8))) { error in
            XCTAssertTrue("\(error)".hasPrefix("invalid JSON at byte"), "\(error)")
        }
    }
}
