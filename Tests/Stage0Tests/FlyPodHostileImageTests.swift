import Foundation
import XCTest

/// End to end: images are untrusted. Symlinks in an image must not point the fly stage1's mounts, or the
/// user database it reads, outside the app's root (root only).
final class FlyPodHostileImageTests: XCTestCase {
    private var pods: PodHarness!

    override func setUpWithError() throws {
        pods = try PodHarness(.fly)
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    func testSymlinkedMountTargetStaysInsideTheRootfs() throws {
        let hostTarget = pods.fixture.directory + "/host-target"
        let volume = pods.fixture.directory + "/volume"
        try FileManager.default.createDirectory(atPath: hostTarget, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        try Data("volume file\n".utf8).write(to: URL(fileURLWithPath: volume + "/marker"))
        // /escape points at the host directory through enough `..` to leave any root, and absolutely.
        try pods.fetchLayeredImage("example.com/hostile", symlinks: [
            "escape": String(repeating: "../", count: 40) + String(hostTarget.dropFirst()),
            "absolute": hostTarget,
        ])
        let result = try pods.runPod(["--exec", "/bin/sh", "--", "-c", "cat /escape/mnt/marker /absolute/mnt2/marker"],
                                     podFlags: ["--volume=v,kind=host,source=\(volume),readOnly=true",
                                                "--mount=volume=v,target=/escape/mnt", "--mount=volume=v,target=/absolute/mnt2"],
                                     image: "example.com/hostile")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "volume file\nvolume file\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: hostTarget), [],
                       "nothing was created or mounted in the host directory the links name")
    }

    func testSymlinkedPasswdIsReadInsideTheRootfs() throws {
        try pods.fetchLayeredImage("example.com/hostile-users",
                                   files: ["etc/real-passwd": "app:x:4321:4321::/:/bin/sh\n"],
                                   symlinks: ["etc/passwd": "../../../../../../etc/real-passwd"])
        let result = try pods.runPod(["--user=app", "--exec", "/bin/sh", "--", "-c", "id -u"], image: "example.com/hostile-users")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "4321\n", "the link resolves to the image's /etc/real-passwd, not the host's")

        try pods.fetchLayeredImage("example.com/hostile-host-users", symlinks: ["etc/passwd": "/../../../etc/host-passwd"])
        let refused = try pods.runPod(["--user=daemon"], image: "example.com/hostile-host-users")
        XCTAssertEqual(refused.status, 254, "no passwd inside the image: the host's is never consulted")
        XCTAssertTrue(refused.stderr.contains("user \"daemon\""), refused.stderr)

        try pods.fetchLayeredImage("example.com/looping-users", symlinks: ["etc/passwd": "/../../../etc/passwd"])
        let looping = try pods.runPod(["--user=daemon"], image: "example.com/looping-users")
        XCTAssertEqual(looping.status, 254)
        XCTAssertTrue(looping.stderr.contains("/etc/passwd: too many levels of symbolic links"), looping.stderr)
    }
}
