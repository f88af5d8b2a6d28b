@testable import Stage0
import XCTest

final class Stage0UnitTests: XCTestCase {
    func testGoDurations() {
        XCTAssertEqual(GoDuration.seconds("24h"), 86400)
        XCTAssertEqual(GoDuration.seconds("1h30m"), 5400)
        XCTAssertEqual(GoDuration.seconds("1.5h"), 5400)
        XCTAssertEqual(GoDuration.seconds("500ms"), 0.5)
        XCTAssertEqual(GoDuration.seconds("0"), 0)
        XCTAssertEqual(GoDuration.seconds("0s"), 0)
        XCTAssertNil(GoDuration.seconds(""))
        XCTAssertNil(GoDuration.seconds("10"))
        XCTAssertNil(GoDuration.seconds("5 minutes"))
        XCTAssertNil(GoDuration.seconds("h"))
    }

    func testLeadingGlobalOptionsMoveBehindTheCommandPath() {
        XCTAssertEqual(ArgumentReordering.movingLeadingGlobalOptions(["--dir", "/d", "--debug", "image", "list", "--full"]),
                       ["image", "list", "--dir", "/d", "--debug", "--full"])
        XCTAssertEqual(ArgumentReordering.movingLeadingGlobalOptions(["--insecure-options=image", "fetch", "x.aci"]),
                       ["fetch", "--insecure-options=image", "x.aci"])
        XCTAssertEqual(ArgumentReordering.movingLeadingGlobalOptions(["fetch", "--dir=/d", "x.aci"]),
                       ["fetch", "--dir=/d", "x.aci"], "options after the command stay where they are")
        XCTAssertEqual(ArgumentReordering.movingLeadingGlobalOptions(["--dir=/d"]), ["--dir=/d"])
    }

    func testHumanSizes() {
        XCTAssertEqual(HumanFormat.size(512), "512B")
        XCTAssertEqual(HumanFormat.size(2048), "2.0KiB")
        XCTAssertEqual(HumanFormat.size(200 << 20), "200MiB")
        XCTAssertEqual(HumanFormat.timestamp(nanoseconds: 1_000_000_000_123), "1970-01-01T00:16:40.000000123Z")
    }

    func testInsecureOptionGroups() throws {
        XCTAssertTrue(try InsecureOptions(parsing: "image").skipImageVerification)
        XCTAssertTrue(try InsecureOptions(parsing: "all-fetch").skipImageVerification)
        XCTAssertFalse(try InsecureOptions(parsing: "none").skipImageVerification)
        XCTAssertFalse(try InsecureOptions(parsing: "tls,http").skipImageVerification)
        XCTAssertThrowsError(try InsecureOptions(parsing: "image,bogus"))
    }
}
