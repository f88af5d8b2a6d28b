import Foundation
@testable import HostTestSupport
import XCTest

final class MountTableTests: XCTestCase {
    func testMountPointsAreReadToTheEndAndUnescaped() throws {
        let file = NSTemporaryDirectory() + "mountinfo-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: file) }
        try """
            22 1 0:21 / / rw - ext4 /dev/vda rw
            23 22 0:5 / /tmp/with\\040space rw - tmpfs tmpfs rw
            24 22 0:6 / /tmp/tab\\011and\\134slash rw - tmpfs tmpfs rw
            short line
            """.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(MountTable.points(in: file), ["/", "/tmp/with space", "/tmp/tab\tand\\slash"])
        XCTAssertEqual(MountTable.points(in: file + ".missing"), [])
        XCTAssertTrue(MountTable.points().contains("/"), "this process's own table")
    }
}
