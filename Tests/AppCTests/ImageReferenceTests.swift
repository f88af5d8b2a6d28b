import AppC
import XCTest

final class ImageReferenceTests: XCTestCase {
    func testNameOnly() throws {
        let reference = try ImageReference(parsing: "example.com/app")
        XCTAssertEqual(reference.name.value, "example.com/app")
        XCTAssertEqual(reference.labels, [])
        XCTAssertNil(reference.version)
        XCTAssertEqual(reference.description, "example.com/app")
    }

    func testColonVersion() throws {
        let reference = try ImageReference(parsing: "coreos.com/etcd:v2.0.9")
        XCTAssertEqual(reference.name.value, "coreos.com/etcd")
        XCTAssertEqual(reference.version, "v2.0.9")
        XCTAssertEqual(reference.description, "coreos.com/etcd:v2.0.9")
    }

    func testLabelSyntax() throws {
        let reference = try ImageReference(parsing: "example.com/app,version=1.0,arch=amd64,os=linux")
        XCTAssertEqual(reference.labels.map(\.name.value), ["version", "arch", "os"])
        XCTAssertEqual(reference.labels.value(of: "arch"), "amd64")
        XCTAssertEqual(reference.description, "example.com/app:1.0,arch=amd64,os=linux")
        XCTAssertEqual(try ImageReference(parsing: reference.description), reference)

        let mixed = try ImageReference(parsing: "example.com/app:1.0,arch=amd64")
        XCTAssertEqual(mixed.version, "1.0")
        XCTAssertEqual(mixed.labels.value(of: "arch"), "amd64")
    }

    func testLiteralValues() throws {
        let reference = try ImageReference(parsing: "example.com/app,version=1.0+git%20x=y")
        XCTAssertEqual(reference.version, "1.0+git%20x=y", "values are not URL-decoded and may hold '='")
    }

    func testColonOnlyAfterName() {
        // appc's app-string grammar: a colon anywhere after the first comma is refused, even inside a value.
        XCTAssertThrowsError(try ImageReference(parsing: "example.com/app,version=a:b"))
    }

    func testInvalidReferences() {
        let cases: [(String, String)] = [
            ("", "not a valid AC identifier"),
            ("Example.com/App", "not a valid AC identifier"),
            ("example.com/app:1:2", "at most once"),
            ("example.com/app,arch=amd64:1.0", "right after the image name"),
            ("example.com/app,arch", "is not key=value"),
            ("example.com/app,version=1,version=2", "more than once"),
            ("example.com/app:1,version=2", "more than once"),
            ("example.com/app,name=other", "more than once"),
            ("example.com/app,Arch=amd64", "not a valid label name"),
            ("example.com/app:", "empty value"),
            ("example.com/app,", "is not key=value"),
        ]
        for (text, fragment) in cases {
            XCTAssertThrowsError(try ImageReference(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(text): \(error)")
            }
        }
    }
}
