import Foundation
import ImageTestSupport
import XCTest

/// End to end: real busybox pods through the fly stage1 (root only).
final class FlyPodLifecycleTests: XCTestCase {
    private var pods: PodHarness!

    override func setUpWithError() throws {
        pods = try PodHarness(.fly)
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    func testNoOverlayCopiesTheTreeSoWritesNeverReachIt() throws {
        let result = try pods.runPod(["--exec", "/bin/sh", "--", "-c", "echo copied > /etc/written; rm /bin/ls; cat /etc/written"],
                                     podFlags: ["--no-overlay"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "copied\n")
        XCTAssertEqual(try pods.mountsBelowDataDirectory().filter { $0.hasSuffix("/rootfs") && $0.contains("/stage2/") }, [],
                       "no overlay was mounted for the app")
        let trees = pods.dataDirectory + "/cas/tree"
        for tree in try FileManager.default.contentsOfDirectory(atPath: trees) {
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(trees)/\(tree)/rootfs/etc/written"), "the tree is untouched")
            if FileManager.default.fileExists(atPath: "\(trees)/\(tree)/rootfs/bin/busybox") {
                XCTAssertTrue(FileManager.default.fileExists(atPath: "\(trees)/\(tree)/rootfs/bin/ls"))
            }
        }
        let uuid = try XCTUnwrap(try pods.listStates().first?.key)
        let exported = try pods.run(["export", uuid, pods.fixture.directory + "/no-overlay.aci"])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let listing = try ACIFixture.run("/usr/bin/tar", ["-tf", pods.fixture.directory + "/no-overlay.aci"])
        XCTAssertTrue(listing.contains("rootfs/etc/written"), "export takes the pod's copy")
    }

    func testRunPassesOutputAndExitStatusThenGCRemovesEverything() throws {
        let result = try pods.run(["run", "--insecure-options=image", "--stage1-path=\(pods.stage1)", pods.busybox,
                                   "--exec", "/bin/sh", "--", "-c", "echo hi; exit 7"])
        XCTAssertEqual(result.status, 7, result.stderr)
        XCTAssertEqual(result.stdout, "hi\n")

        let states = try pods.listStates()
        XCTAssertEqual(states.count, 1)
        let uuid = try XCTUnwrap(states.keys.first)
        XCTAssertEqual(states[uuid], "exited")
        let status = try pods.status(uuid)
        XCTAssertEqual(status["state"], "exited")
        XCTAssertEqual(status["exited"], "true")
        XCTAssertEqual(status["app-busybox"], "7")
        XCTAssertNotNil(status["pid"])
        let listing = try pods.run(["list", "--no-legend"])
        let columns = listing.stdout.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        XCTAssertEqual(Array(columns.prefix(2)), [String(uuid.prefix(8)), "busybox"], listing.stdout)
        XCTAssertTrue(columns[2].hasPrefix("example.com/busybox:"), listing.stdout)
        XCTAssertEqual(columns[3], "exited")

        let gc = try pods.run(["gc", "--grace-period=0s"])
        XCTAssertEqual(gc.status, 0, gc.stderr)
        XCTAssertTrue(gc.stdout.contains("Garbage collecting pod \"\(uuid)\""), gc.stdout)
        XCTAssertEqual(pods.podDirectories().values.flatMap { $0 }, [], "every pod directory is gone")
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [], "nothing stays mounted")
        XCTAssertEqual(try pods.listStates().count, 0)
    }

    func testGCHonoursTheGracePeriodAndMarkOnly() throws {
        XCTAssertEqual(try pods.runPod(["--exec", "/bin/true"]).status, 0)
        let mark = try pods.run(["gc", "--mark-only"])
        XCTAssertEqual(mark.status, 0, mark.stderr)
        XCTAssertEqual(pods.podDirectories()["exited-garbage"]?.count, 1)
        XCTAssertEqual(try pods.run(["gc"]).status, 0, "the default grace period (30m) keeps the pod")
        XCTAssertEqual(pods.podDirectories()["exited-garbage"]?.count, 1)
        XCTAssertEqual(try pods.listStates().values.first, "exited garbage")
        XCTAssertEqual(try pods.run(["gc", "--grace-period=0s"]).status, 0)
        XCTAssertEqual(pods.podDirectories()["exited-garbage"], [])
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [])
    }

    func testPrepareThenRunPrepared() throws {
        let uuid = try pods.prepare(["--exec", "/bin/sh", "--", "-c", "echo prepared-run; exit 3"])
        XCTAssertEqual(try pods.listStates()[uuid], "prepared")
        XCTAssertEqual(pods.podDirectories()["prepared"], [uuid])

        let result = try pods.run(["run-prepared", uuid])
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertEqual(result.stdout, "prepared-run\n")
        XCTAssertEqual(try pods.status(uuid)["app-busybox"], "3")

        let again = try pods.run(["run-prepared", uuid])
        XCTAssertEqual(again.status, 254)
        XCTAssertTrue(again.stderr.contains("expected prepared"), again.stderr)
    }

    func testCatManifestAndRunningThatManifest() throws {
        let uuid = try pods.prepare(["--exec", "/bin/sh", "--", "-c", "echo $GREETING"], podFlags: ["--set-env=GREETING=from-manifest"])
        let manifest = try pods.run(["cat-manifest", uuid])
        XCTAssertEqual(manifest.status, 0, manifest.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(manifest.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["acKind"] as? String, "PodManifest")
        let file = pods.fixture.directory + "/pod-manifest.json"
        try Data(manifest.stdout.utf8).write(to: URL(fileURLWithPath: file))

        let result = try pods.run(["run", "--stage1-path=\(pods.stage1)", "--pod-manifest=\(file)"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "from-manifest\n")
    }

    func testRemovePreparedAndExitedPodsWithUUIDFile() throws {
        let uuidFile = pods.fixture.directory + "/uuid"
        let prepared = try pods.prepare(["--exec", "/bin/true"], podFlags: ["--uuid-file-save=\(uuidFile)"])
        XCTAssertEqual(try String(contentsOfFile: uuidFile, encoding: .utf8), prepared)
        let removed = try pods.run(["rm", "--uuid-file=\(uuidFile)"])
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertEqual(removed.stdout, prepared + "\n")

        XCTAssertEqual(try pods.runPod(["--exec", "/bin/true"]).status, 0)
        let exited = try XCTUnwrap(try pods.listStates().keys.first)
        XCTAssertEqual(try pods.run(["rm", String(exited.prefix(8))]).status, 0)
        XCTAssertEqual(pods.podDirectories().values.flatMap { $0 }, [])
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [])
        let missing = try pods.run(["rm", exited])
        XCTAssertEqual(missing.status, 254)
        XCTAssertTrue(missing.stderr.contains("no pod matches"), missing.stderr)
    }

    func testStatusAndListJSON() throws {
        XCTAssertEqual(try pods.runPod(["--exec", "/bin/sh", "--", "-c", "exit 5"]).status, 5)
        let uuid = try XCTUnwrap(try pods.listStates().keys.first)
        let result = try pods.run(["status", "--format=json", uuid])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["name"] as? String, uuid)
        XCTAssertEqual(object["state"] as? String, "exited")
        XCTAssertEqual(object["app_names"] as? [String], ["busybox"])
        let apps = try XCTUnwrap(object["apps"] as? [[String: Any]])
        XCTAssertEqual(apps.first?["exit_code"] as? Int, 5)
        let full = try pods.run(["list", "--full", "--no-legend"])
        XCTAssertTrue(full.stdout.hasPrefix(uuid + "  "), full.stdout)
    }

    func testExportWritesTheAppsChangesAsAnACI() throws {
        let run = try pods.runPod(["--exec", "/bin/sh", "--", "-c", "echo changed > /etc/motd; rm /bin/cat; mkdir /data; echo d > /data/x"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let uuid = try XCTUnwrap(try pods.listStates().keys.first)
        let output = pods.fixture.directory + "/exported.aci"
        let exported = try pods.run(["export", uuid, output])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let refused = try pods.run(["export", uuid, output])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("--overwrite"), refused.stderr)

        let rerun = try pods.run(["run", "--insecure-options=image", "--stage1-path=\(pods.stage1)", output, "--exec", "/bin/sh",
                                  "--", "-c", "busybox cat /etc/motd /data/x; test -e /bin/cat || echo no-cat"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(rerun.stdout, "changed\nd\nno-cat\n")
        XCTAssertEqual(try pods.mountsBelowDataDirectory().filter { $0.contains("export") }, [])
    }

    func testGCCollectsWhatACrashedRktLeftBehind() throws {
        let aborted = pods.dataDirectory + "/pods/prepare/0b2d6a8e-1111-4222-8333-444455556666"
        let young = pods.dataDirectory + "/pods/embryo/0b2d6a8e-1111-4222-8333-777788889999"
        try FileManager.default.createDirectory(atPath: aborted + "/stage1/rootfs", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: young, withIntermediateDirectories: true)
        XCTAssertEqual(try pods.listStates()["0b2d6a8e-1111-4222-8333-444455556666"], "aborted prepare")
        let gc = try pods.run(["gc"])
        XCTAssertEqual(gc.status, 0, gc.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: aborted), "an unlocked pod in prepare/ is garbage")
        XCTAssertTrue(FileManager.default.fileExists(atPath: young), "a young embryo may still be locked by its creator any moment")
    }
}
