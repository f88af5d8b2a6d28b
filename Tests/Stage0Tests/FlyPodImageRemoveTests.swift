import Foundation
import XCTest

/// Issue 21: `rkt image rm` refuses the image of a pod that has not exited, naming the pod; once the pod has
/// exited the image goes (root only).
final class FlyPodImageRemoveTests: XCTestCase {
    private var pods: PodHarness!

    override func setUpWithError() throws {
        pods = try PodHarness(.fly)
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    func testImageOfARunningOrPreparedPodIsNotRemoved() throws {
        let uuid = try pods.prepare(["--exec", "/bin/sh", "--", "-c", "exec sleep 1000"])
        let whilePrepared = try pods.run(["image", "rm", "example.com/busybox"])
        XCTAssertEqual(whilePrepared.status, 254, whilePrepared.stderr)
        XCTAssertTrue(whilePrepared.stderr.contains("is used by pod \(uuid) (prepared)"), whilePrepared.stderr)

        let process = try pods.start(["run-prepared", uuid])
        let ready = try pods.run(["status", "--wait-ready=60s", uuid])
        XCTAssertTrue(ready.stdout.contains("state=running"), ready.stdout + ready.stderr)
        let whileRunning = try pods.run(["image", "rm", "example.com/busybox"])
        XCTAssertEqual(whileRunning.status, 254, whileRunning.stderr)
        XCTAssertTrue(whileRunning.stderr.contains("is used by pod \(uuid) (running); stop the pod first"), whileRunning.stderr)
        XCTAssertTrue(try pods.run(["image", "list", "--no-legend"]).stdout.contains("example.com/busybox"), "the image stays")

        XCTAssertEqual(try pods.run(["stop", uuid]).status, 0)
        process.waitUntilExit()
        XCTAssertEqual(try pods.status(uuid, ["--wait"])["state"], "exited")
        let afterExit = try pods.run(["image", "rm", "example.com/busybox"])
        XCTAssertEqual(afterExit.status, 0, afterExit.stderr)
        XCTAssertTrue(afterExit.stdout.contains("1 image(s) successfully removed"), afterExit.stdout)
    }
}
