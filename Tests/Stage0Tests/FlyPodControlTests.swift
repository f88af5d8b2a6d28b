import Foundation
import XCTest

/// End to end: entering and stopping running fly pods (root only). Pods are prepared first so their UUID is
/// known, started with run-prepared in the background, and awaited with `rkt status --wait-ready`.
final class FlyPodControlTests: XCTestCase {
    private var pods: PodHarness!

    override func setUpWithError() throws {
        pods = try PodHarness(.fly)
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    private func startLongRunning(_ script: String, podFlags: [String] = [], appFlags: [String] = []) throws -> (uuid: String, process: Process) {
        let uuid = try pods.prepare(appFlags + ["--exec", "/bin/sh", "--", "-c", script], podFlags: podFlags)
        let process = try pods.start(["run-prepared", uuid])
        let ready = try pods.run(["status", "--wait-ready=60s", uuid])
        XCTAssertEqual(ready.status, 0, ready.stderr)
        XCTAssertTrue(ready.stdout.contains("state=running"), ready.stdout)
        return (uuid, process)
    }

    func testEnterRunsACommandInTheAppsRootAndStopEndsThePod() throws {
        let (uuid, process) = try startLongRunning("exec sleep 1000")
        XCTAssertEqual(try pods.listStates()[uuid], "running")

        let entered = try pods.run(["enter", uuid, "/bin/sh", "-c", "echo $AC_APP_NAME; head -1 /etc/passwd; ls /bin/busybox"])
        XCTAssertEqual(entered.status, 0, entered.stderr)
        XCTAssertEqual(entered.stdout, "busybox\nroot:x:0:0:root:/root:/bin/sh\n/bin/busybox\n")
        let exitStatus = try pods.run(["enter", "--app=busybox", uuid, "/bin/sh", "-c", "exit 9"])
        XCTAssertEqual(exitStatus.status, 9, "enter passes the command's exit status")

        let gcWhileRunning = try pods.run(["gc", "--grace-period=0s"])
        XCTAssertEqual(gcWhileRunning.status, 0, gcWhileRunning.stderr)
        XCTAssertEqual(try pods.listStates()[uuid], "running", "gc leaves running pods alone")

        let stopped = try pods.run(["stop", uuid])
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertEqual(stopped.stdout, uuid + "\n")
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 128 + SIGTERM)
        let status = try pods.status(uuid, ["--wait"])
        XCTAssertEqual(status["state"], "exited")
        XCTAssertEqual(status["app-busybox"], String(128 + SIGTERM))

        let notRunning = try pods.run(["enter", uuid, "/bin/true"])
        XCTAssertEqual(notRunning.status, 254)
        XCTAssertTrue(notRunning.stderr.contains("expected running"), notRunning.stderr)
    }

    func testStopForceKillsAnAppIgnoringSIGTERM() throws {
        let (uuid, process) = try startLongRunning("trap '' TERM; exec sleep 1000")
        let stopped = try pods.run(["stop", "--force", uuid])
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 128 + SIGKILL)
        XCTAssertEqual(try pods.status(uuid, ["--wait=30s"])["app-busybox"], String(128 + SIGKILL))
        let again = try pods.run(["stop", uuid])
        XCTAssertEqual(again.status, 254, "stopping an exited pod fails")
    }

    func testRemoveRefusesARunningPod() throws {
        let (uuid, process) = try startLongRunning("exec sleep 1000")
        let refused = try pods.run(["rm", uuid])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("running"), refused.stderr)
        XCTAssertEqual(try pods.run(["stop", "--force", uuid]).status, 0)
        process.waitUntilExit()
        XCTAssertEqual(try pods.run(["rm", uuid]).status, 0)
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [])
    }

    func testImageRemovalLeavesTheTreeOfARunningPod() throws {
        let (uuid, process) = try startLongRunning("exec sleep 1000")
        let trees = pods.dataDirectory + "/cas/tree"
        let before = try FileManager.default.contentsOfDirectory(atPath: trees).sorted()
        // Issue 21: rm of a running pod's image is refused, naming the pod (FlyPodImageRemoveTests).
        let removed = try pods.run(["image", "rm", "example.com/busybox"])
        XCTAssertEqual(removed.status, 254, removed.stderr)
        XCTAssertTrue(removed.stderr.contains("is used by pod \(uuid)"), removed.stderr)
        // image gc (grace 0) removes the image itself; the pod's trees stay.
        XCTAssertEqual(try pods.run(["image", "gc", "--grace-period=0s"]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: trees).sorted(), before,
                       "the pod holds its trees' locks shared, so gc deletes none of them")
        let entered = try pods.run(["enter", uuid, "/bin/busybox", "true"])
        XCTAssertEqual(entered.status, 0, entered.stderr)

        XCTAssertEqual(try pods.run(["stop", uuid]).status, 0)
        process.waitUntilExit()
        XCTAssertEqual(try pods.run(["gc", "--grace-period=0s"]).status, 0)
        XCTAssertEqual(try pods.run(["image", "gc", "--grace-period=0s"]).status, 0)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: trees).contains { !before.contains($0) })
        XCTAssertLessThan(try FileManager.default.contentsOfDirectory(atPath: trees).count, before.count,
                          "once the pod is gone the busybox tree is collected")
    }

    func testStatusWaitBlocksUntilThePodExits() throws {
        let control = pods.fixture.directory + "/control"
        try FileManager.default.createDirectory(atPath: control, withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(control + "/fifo", 0o600), 0)
        let (uuid, process) = try startLongRunning("read line < /control/fifo; exit $line",
                                                   podFlags: ["--volume=control,kind=host,source=\(control)"],
                                                   appFlags: ["--mount=volume=control,target=/control"])
        let waiter = pods.process(["status", "--wait", uuid])
        let output = Pipe()
        waiter.standardOutput = output
        try waiter.run()

        let fifo = open(control + "/fifo", O_WRONLY)
        XCTAssertGreaterThanOrEqual(fifo, 0)
        _ = "4\n".withCString { write(fifo, $0, 2) }
        close(fifo)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        waiter.waitUntilExit()
        process.waitUntilExit()
        XCTAssertEqual(waiter.terminationStatus, 0)
        XCTAssertTrue(text.contains("state=exited") && text.contains("app-busybox=4"), text)
        XCTAssertEqual(process.terminationStatus, 4)
    }

    func testAPodRunsWhileAnotherPodOfTheSameImageIsRunning() throws {
        let (uuid, process) = try startLongRunning("exec sleep 1000")
        // The running pod holds its trees shared; a second pod must not wait for it (a watchdog ends a hang).
        let second = pods.process(["run", "--stage1-path=\(pods.stage1)", "example.com/busybox", "--exec", "/bin/true"])
        second.standardOutput = FileHandle.nullDevice
        try second.run()
        let watchdog = DispatchWorkItem { if second.isRunning { second.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        second.waitUntilExit()
        watchdog.cancel()
        XCTAssertEqual(second.terminationReason, .exit, "the second pod hung behind the first")
        XCTAssertEqual(second.terminationStatus, 0)
        XCTAssertEqual(try pods.listStates()[uuid], "running")
        XCTAssertEqual(try pods.run(["stop", uuid]).status, 0)
        process.waitUntilExit()
    }

    func testTheAppDiesWithItsStage1() throws {
        let (uuid, process) = try startLongRunning("exec sleep 1000")
        let pidText = try String(contentsOfFile: pods.dataDirectory + "/pods/run/\(uuid)/pid", encoding: .utf8)
        let appPID = try XCTUnwrap(pid_t(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(kill(process.processIdentifier, SIGKILL), 0, "kill stage1 (rkt run-prepared became it by exec)")
        process.waitUntilExit()
        XCTAssertTrue(Self.isGoneOrDying(appPID), "the kernel sent the app SIGKILL when its stage1 died")
        let status = try pods.status(uuid, ["--wait=30s"])
        XCTAssertEqual(status["state"], "exited", "the pod lock died with stage1")
        XCTAssertEqual(status["app-busybox"], "-", "nobody was left to record an exit status")
        XCTAssertEqual(try pods.run(["gc", "--grace-period=0s"]).status, 0)
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [])
    }

    /// The process no longer exists, is a zombie, or has SIGKILL pending (delivered as its parent exited).
    private static func isGoneOrDying(_ pid: pid_t) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return true }
        var fields: [String: String] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        if let state = fields["State"], state.hasPrefix("Z") || state.hasPrefix("X") { return true }
        let killBit: UInt64 = 1 << (UInt64(SIGKILL) - 1)
        return ["SigPnd", "ShdPnd"].contains { UInt64(fields[$0] ?? "0", radix: 16).map { $0 & killBit != 0 } ?? false }
    }
}
