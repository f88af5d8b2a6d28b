import AppC
import XCTest

final class NameTests: XCTestCase {
    func testACIdentifier() {
        // types.md lists "example.com/~user/app_v1" as an example, but its own regular expression (and
        // appc's Go validator) reject the "/~" run; the expression is what we follow.
        XCTAssertThrowsError(try ACIdentifier("example.com/~user/app_v1"))
        for valid in ["database", "example.com/database", "example.com/user~app_v1", "sub-domain.example.com/org/product/release",
                      "a", "0", "coreos.com/rkt/stage1/run"] {
            XCTAssertNoThrow(try ACIdentifier(valid), valid)
        }
        for invalid in ["", "-a", "a-", "a--b", "a/-b", "A", "a b", "a:b", "/a", "a/", "é", "a\u{0}b"] {
            XCTAssertThrowsError(try ACIdentifier(invalid), invalid) { error in
                XCTAssertTrue("\(error)".contains("is not a valid AC identifier"))
            }
        }
    }

    func testACName() {
        for valid in ["database", "product-database", "a1-b2-c3", "0"] {
            XCTAssertNoThrow(try ACName(valid), valid)
        }
        for invalid in ["", "a.b", "a_b", "a/b", "-a", "a-", "a--b", "Foo", "a~b"] {
            XCTAssertThrowsError(try ACName(invalid), invalid)
        }
        XCTAssertEqual(String(describing: try! ACName("web")), "web")
    }

    func testSanitizedName() {
        XCTAssertEqual(ACName.sanitized("example.com/Reduce_Worker")?.value, "example-com-reduce-worker")
        XCTAssertEqual(ACName.sanitized("--etcd--")?.value, "etcd")
        XCTAssertNil(ACName.sanitized("./_"))
        XCTAssertEqual(ACName.defaultAppName(forImage: try! ACIdentifier("coreos.com/etcd"))?.value, "etcd")
        XCTAssertEqual(ACName.defaultAppName(forImage: try! ACIdentifier("example.com/my_app.v2"))?.value, "my-app-v2")
    }

    func testACVersion() throws {
        let version = try ACVersion("0.8.11")
        XCTAssertEqual(version, ACVersion.current)
        XCTAssertEqual(try ACVersion("1.0.0-rc.1+build.5").description, "1.0.0-rc.1+build.5")
        XCTAssertLessThan(try ACVersion("1.0.0-alpha"), try ACVersion("1.0.0"))
        XCTAssertLessThan(try ACVersion("1.0.0-alpha.2"), try ACVersion("1.0.0-alpha.10"))
        XCTAssertLessThan(try ACVersion("1.0.0-2"), try ACVersion("1.0.0-alpha"))
        XCTAssertLessThan(try ACVersion("0.8.9"), try ACVersion("0.8.11"))
        XCTAssertEqual(try ACVersion("1.0.0+a"), try ACVersion("1.0.0+b"))
        for invalid in ["", "1", "1.0", "1.0.0.0", "01.0.0", "1.0.0-", "1.0.0-01", "1.0.0+", "a.b.c", "1.0.0-a..b", " 1.0.0", "-1.0.0",
                        "99999999999999999999.0.0"] {
            XCTAssertThrowsError(try ACVersion(invalid), invalid)
        }
    }

    func testHostileValuesAreTruncatedInMessages() {
        XCTAssertThrowsError(try ACName(String(repeating: "X", count: 100_000))) { error in
            XCTAssertLessThan("\(error)".count, 300)
        }
    }

    func testValidationErrorDescription() {
        XCTAssertEqual(ValidationError(path: "app.exec", message: "must be non-empty").description, "app.exec: must be non-empty")
        XCTAssertEqual(ValidationError(path: "", message: "bad").description, "bad")
    }
}
