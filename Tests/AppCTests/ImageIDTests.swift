import AppC
import XCTest

final class ImageIDTests: XCTestCase {
    private let hex = String(repeating: "0123456789abcdef", count: 8)

    func testFullID() throws {
        let id = try ImageID("sha512-" + hex)
        XCTAssertTrue(id.isFull)
        XCTAssertEqual(id.hexDigest, hex)
        XCTAssertEqual(id.description, "sha512-" + hex)
        XCTAssertEqual(id.shortString, "sha512-0123456789ab")
        XCTAssertEqual(id.keyString, "sha512-" + String(hex.prefix(64)))
        XCTAssertEqual(try ImageID(hexDigest: hex), id)
        XCTAssertEqual(try ImageID("sha512-" + hex.uppercased()), id, "hex case is normalised")
    }

    func testDigestBytes() throws {
        let id = try ImageID(digest: (0..<64).map { UInt8($0 * 4 % 256) })
        XCTAssertTrue(id.isFull)
        XCTAssertTrue(id.prefix.hasPrefix("0004080c1014"))
        XCTAssertThrowsError(try ImageID(digest: [1, 2, 3]))
    }

    func testShortenedForms() throws {
        let full = try ImageID("sha512-" + hex)
        for length in [2, 12, 32, 64, 127] {
            let short = try ImageID("sha512-" + String(hex.prefix(length)))
            XCTAssertFalse(short.isFull)
            XCTAssertNil(short.hexDigest)
            XCTAssertEqual(short.prefix.count, length)
            XCTAssertTrue(full.matches(prefix: short))
            XCTAssertFalse(short.matches(prefix: full))
        }
        XCTAssertTrue(full.matches(prefix: "sha512-0123456789AB"))
        XCTAssertFalse(full.matches(prefix: "sha512-1123"))
        XCTAssertFalse(full.matches(prefix: "0123456789ab"), "a bare hex string is not an image ID")
        XCTAssertTrue(full.matches(prefix: full))
    }

    func testInvalidIDs() {
        let cases = ["", "sha512-", "sha512-a", "sha512-" + hex + "0", "sha256-" + hex, hex, "SHA512-abcd",
                     "sha512-abcg", "sha512-ab cd", "sha512--abcd", "sha512-...", "sha512-\u{0}0"]
        for text in cases {
            XCTAssertThrowsError(try ImageID(text), text) { error in
                XCTAssertTrue("\(error)".contains("is not an image ID"), "\(error)")
            }
        }
        XCTAssertThrowsError(try ImageID(hexDigest: String(hex.prefix(64))))
        XCTAssertThrowsError(try ImageID(hexDigest: "sha512-" + hex))
    }

    func testOrderingAndHashing() throws {
        let a = try ImageID("sha512-aa")
        let b = try ImageID("sha512-AB")
        XCTAssertLessThan(a, b)
        XCTAssertEqual(Set([a, b, try ImageID("sha512-ab")]).count, 2)
    }
}
