import OCI
import XCTest

final class DockerReferenceTests: XCTestCase {
    func testDockerHubNames() throws {
        let plain = try DockerReference(parsing: "busybox")
        XCTAssertEqual(plain.registry, "docker.io")
        XCTAssertEqual(plain.apiHost, "registry-1.docker.io")
        XCTAssertEqual(plain.repository, "library/busybox")
        XCTAssertEqual(plain.tag, "latest")
        let user = try DockerReference(parsing: "someone/app:1.2")
        XCTAssertEqual(user.repository, "someone/app")
        XCTAssertEqual(user.tag, "1.2")
    }

    func testRegistryWithPortTagAndDigest() throws {
        let tagged = try DockerReference(parsing: "127.0.0.1:5000/x/y:v1")
        XCTAssertEqual(tagged.registry, "127.0.0.1:5000")
        XCTAssertEqual(tagged.repository, "x/y")
        XCTAssertEqual(tagged.manifestReference, "v1")
        let hex = String(repeating: "e", count: 64)
        let pinned = try DockerReference(parsing: "localhost/app@sha256:" + hex)
        XCTAssertEqual(pinned.registry, "localhost")
        XCTAssertNil(pinned.tag)
        XCTAssertEqual(pinned.manifestReference, "sha256:" + hex)
        XCTAssertEqual(pinned.description, "localhost/app@sha256:" + hex)
    }

    func testInvalidReferences() {
        for bad in ["", "UPPER/case", "a//b", "x:", "x:-tag", "host:5000/../etc", "a@sha256:12", "reg/x y"] {
            XCTAssertThrowsError(try DockerReference(parsing: bad), bad)
        }
    }
}
