import AppC
import XCTest

final class ResourceQuantityTests: XCTestCase {
    func testSpecEquivalentForms() throws {
        // ace.md: "128974848", "125952Ki" and "123Mi" are the same amount.
        for text in ["128974848", "125952Ki", "123Mi"] {
            XCTAssertEqual(try ResourceQuantity(text).value, 128_974_848, text)
        }
    }

    func testSuffixes() throws {
        let cases: [(String, Int64)] = [
            ("1G", 1_000_000_000_000), ("2M", 2_000_000_000), ("1k", 1_000_000), ("1K", 1_000_000),
            ("1Gi", 1_073_741_824_000), ("1Ki", 1_024_000), ("500m", 500), ("250m", 250), ("0.5", 500),
            ("1.5", 1500), ("0.3", 300), ("1e3", 1_000_000), ("5E-3", 5), ("1n", 1), ("1u", 1), ("0", 0),
            ("+2", 2000), (".5", 500), ("1.", 1000), ("1.5m", 2), ("4P", 4_000_000_000_000_000_000),
        ]
        for (text, milli) in cases {
            XCTAssertEqual(try ResourceQuantity(text).milliValue, milli, text)
        }
        XCTAssertEqual(try ResourceQuantity("500m").value, 1, "value rounds up")
        XCTAssertEqual(try ResourceQuantity("1G").description, "1G")
        XCTAssertEqual(try ResourceQuantity(bytes: 4096).value, 4096)
    }

    func testInvalid() {
        for text in ["", "G", "-1", "1Q", "1GG", "1 G", "1.2.3", "1e", "1e99", "9Ei", "4E", "99999999999999999999", "1E+x", "0x10", "1gi"] {
            XCTAssertThrowsError(try ResourceQuantity(text), text)
        }
    }
}
