import Foundation
import HostTestSupport
import XCTest

/// A sandbox really is a host of its own: fresh interfaces, its own /var/lib layer, mounts that stay inside,
/// and nothing left once it is closed (root only).
final class HostSandboxTests: XCTestCase {
    func testASandboxIsFreshPrivateAndGoesAwayWhenClosed() throws {
        let sandbox: HostSandbox
        do { sandbox = try HostSandbox() } catch let unavailable as HostSandbox.Unavailable { throw XCTSkip(unavailable.reason) }
        let hostNetwork = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        XCTAssertNotEqual(sandbox.networkNamespace, hostNetwork)

        let links = try sandbox.run(HostSandbox.ip, ["-o", "-4", "addr", "show"])
        XCTAssertEqual(links.status, 0)
        XCTAssertTrue(links.output.contains("inet 127.0.0.1/8"), links.output)
        XCTAssertTrue(links.output.contains("inet \(HostSandbox.hostAddress)/32"), links.output)
        XCTAssertEqual(try sandbox.run(HostSandbox.ip, ["-o", "link", "show"]).output.split(separator: "\n").count, 1, "only lo")

        // /var/lib is writable inside, and what is written there stays inside.
        let name = "rkt-sandbox-test-" + UUID().uuidString
        XCTAssertEqual(try sandbox.run("/bin/sh", ["-c", "mkdir -p /var/lib/cni/\(name) && echo x > /var/lib/cni/\(name)/lease"]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: sandbox.insidePath("/var/lib/cni/\(name)/lease")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/var/lib/cni/\(name)"), "the host's /var/lib is untouched")

        // A mount made inside is seen inside only.
        let root = NSTemporaryDirectory() + name
        try FileManager.default.createDirectory(atPath: root + "/point", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        XCTAssertEqual(try sandbox.run("/bin/mount", ["-t", "tmpfs", "tmpfs", root + "/point"]).status, 0)
        XCTAssertEqual(sandbox.mountPoints(below: root), [root + "/point"])
        XCTAssertEqual(HostSandbox.mountPoints(below: root), [], "and not in the test's own mount table")

        let holder = sandbox.holderPID
        sandbox.close()
        XCTAssertNotEqual(kill(holder, 0), 0, "the holder ended")
    }
}
