import Foundation
import HostTestSupport
import ImageTestSupport
import XCTest

/// Real pods for end-to-end tests: a fresh rkt data/config directory, the busybox ACI from
/// scripts/make-busybox-aci.sh, a layered image with extra users, and the flavor's stage1 ACI packed from the
/// binaries built next to `rkt` (scripts/make-stage1-*-aci.sh). Needs root (mounts, chroot) and overlayfs;
/// the kvm flavor also /dev/kvm, a guest kernel and mkfs.erofs.
/// Every `rkt` of a harness runs in a host sandbox of its own (network and mount namespaces, private CNI leases:
/// HostSandbox) unless told otherwise, and its pods' cgroups go below a parent it owns (`TestCgroupParent`);
/// `cleanUp()` removes both, so the host is left as found.
final class PodHarness: @unchecked Sendable {
    let flavor: Stage1Flavor
    private(set) var rkt: RktProcess
    let sandbox: HostSandbox?
    let cgroupParent = TestCgroupParent()
    let fixture: ACIFixture
    let busybox: String
    let stage1: String

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// Skips the calling test unless it can run real pods here.
    static func requireRealPods() throws {
        guard geteuid() == 0 else { throw XCTSkip("running fly pods needs root (mount namespaces, overlayfs, chroot)") }
        let filesystems = (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8)) ?? ""
        guard filesystems.contains("overlay") else { throw XCTSkip("running fly pods needs overlayfs") }
        guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
            throw XCTSkip("the busybox test image needs busybox-static (/bin/busybox)")
        }
    }

    /// `sandboxed: false` runs `rkt` in the test's own namespaces (for pods that reach a server on the test's
    /// loopback; such a test keeps its pods off the host's networks with `--net=none`).
    init(_ flavor: Stage1Flavor, sandboxed: Bool = true) throws {
        try Self.requireRealPods()
        let packing = try flavor.packing()
        self.flavor = flavor
        do {
            sandbox = sandboxed ? try HostSandbox() : nil
        } catch let unavailable as HostSandbox.Unavailable {
            throw XCTSkip(unavailable.reason)
        }
        rkt = try RktProcess()
        rkt.sandbox = sandbox
        rkt.environment = cgroupParent.environment
        fixture = try ACIFixture()
        busybox = fixture.directory + "/busybox.aci"
        stage1 = fixture.directory + "/stage1-\(flavor.rawValue).aci"
        try ACIFixture.run(Self.repositoryRoot + "/scripts/make-busybox-aci.sh", [busybox])
        try ACIFixture.run(Self.repositoryRoot + "/scripts/" + packing.script, packing.arguments(stage1))
        let fetched = try run(["fetch", "--insecure-options=image", busybox])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
    }

    /// Kills pods a failed test left running, then collects everything.
    func cleanUp() {
        for (uuid, state) in (try? listStates()) ?? [:] where state == "running" {
            _ = try? run(["stop", "--force", uuid])
            _ = try? run(["status", "--wait=60s", uuid])
        }
        _ = try? run(["gc", "--grace-period=0s", "--expire-prepared=0s"])
        let kept = cgroupParent.remove()
        XCTAssertEqual(kept, [], "the harness's cgroup parent still holds pod cgroups after gc")
        sandbox?.close()
        rkt.cleanUp()
        fixture.cleanUp()
    }

    var dataDirectory: String { rkt.root + "/data" }

    /// `rkt ARGS…` with the global flags first (image and app arguments must come last).
    func run(_ arguments: [String]) throws -> RktProcess.Result {
        try rkt.run(arguments, globalsFirst: true)
    }

    /// `rkt ARGS…` on the same store but in the test's own namespaces: for a fetch from a server on the test's
    /// loopback (a registry), which the sandbox cannot reach. Runs no pod.
    func runOutsideSandbox(_ arguments: [String]) throws -> RktProcess.Result {
        var outside = rkt
        outside.sandbox = nil
        return try outside.run(arguments, globalsFirst: true)
    }

    /// `rkt run` of the busybox image with the test stage1; `podFlags` go before the image, `appArguments` after.
    func runPod(_ appArguments: [String], podFlags: [String] = [], image: String? = nil) throws -> RktProcess.Result {
        try run(["run", "--stage1-path=\(stage1)"] + podFlags + [image ?? "example.com/busybox"] + appArguments)
    }

    /// An unstarted `rkt <global flags> ARGS…` where this harness runs rkt (its sandbox).
    func process(_ arguments: [String]) -> Process {
        rkt.process(rkt.globalFlags + arguments)
    }

    /// Starts `rkt ARGS…` without waiting for it.
    func start(_ arguments: [String]) throws -> Process {
        let process = process(arguments)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Prepares a busybox pod and returns its UUID.
    func prepare(_ appArguments: [String], podFlags: [String] = []) throws -> String {
        let result = try run(["prepare", "--stage1-path=\(stage1)"] + podFlags + ["example.com/busybox"] + appArguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `rkt status UUID` as a dictionary of its `key=value` lines.
    func status(_ uuid: String, _ flags: [String] = []) throws -> [String: String] {
        let result = try run(["status"] + flags + [uuid])
        XCTAssertEqual(result.status, 0, result.stderr)
        var fields: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    /// Full UUIDs of every pod `rkt list` shows, with their states.
    func listStates() throws -> [String: String] {
        let result = try run(["list", "--format=json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let pods = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        var states: [String: String] = [:]
        for pod in pods { states[pod["name"] as? String ?? ""] = pod["state"] as? String }
        return states
    }

    /// Pod directories in each state directory.
    func podDirectories() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for state in ["embryo", "prepare", "prepared", "run", "exited-garbage", "garbage"] {
            result[state] = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory + "/pods/" + state)) ?? []
        }
        return result
    }

    /// Mount points below the data directory, where the pods' rkt runs (none may survive a pod's removal).
    func mountsBelowDataDirectory() throws -> [String] {
        guard let sandbox else { return HostSandbox.mountPoints(below: dataDirectory) }
        return sandbox.mountPoints(below: dataDirectory)
    }

    /// What the pods' networks have left in the harness's sandbox now (interfaces, routes, rules, leases).
    func networkSnapshot() throws -> NetworkSnapshot {
        try NetworkSnapshot.take(in: try XCTUnwrap(sandbox, "a harness without a sandbox has no private network state"))
    }

    /// CNI host-local leases in the harness's sandbox, as `NETWORK/ADDRESS`.
    func leases() throws -> [String] {
        NetworkSnapshot.leases(in: try XCTUnwrap(sandbox))
    }

    /// A layered image over busybox whose /etc/passwd and /etc/group name a user `app` (1234) and group
    /// `staff` (2345), fetched into the store.
    func fetchUsersImage() throws {
        var manifest = ACIFixture.manifest(name: "example.com/users", dependencies: [["imageName": "example.com/busybox"]])
        manifest["app"] = ["exec": ["/bin/sh", "-c", "id"], "user": "0", "group": "0"]
        let aci = try fixture.makeACI("users", manifest: manifest, files: [
            "etc/passwd": "root:x:0:0:root:/root:/bin/sh\napp:x:1234:2345:app:/home/app:/bin/sh\n",
            "etc/group": "root:x:0:\nstaff:x:2345:\n",
            "home/app/.keep": "",
        ])
        let fetched = try run(["fetch", "--insecure-options=image", aci])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
    }

    /// Fetches an image layered over busybox holding `files` and `symlinks` (path under rootfs → target).
    func fetchLayeredImage(_ name: String, files: [String: String] = [:], symlinks: [String: String]) throws {
        let staging = fixture.directory + "/layer-" + UUID().uuidString
        var manifest = ACIFixture.manifest(name: name, dependencies: [["imageName": "example.com/busybox"]])
        manifest["app"] = ["exec": ["/bin/sh", "-c", "true"], "user": "0", "group": "0"]
        try FileManager.default.createDirectory(atPath: staging + "/rootfs", withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: staging + "/manifest"))
        for (path, content) in files {
            let full = staging + "/rootfs/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(content.utf8).write(to: URL(fileURLWithPath: full))
        }
        for (path, target) in symlinks {
            let full = staging + "/rootfs/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: target)
        }
        let aci = staging + ".aci"
        try ACIFixture.run("/usr/bin/tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", staging, "-cf", aci, "manifest", "rootfs"])
        let fetched = try run(["fetch", "--insecure-options=image", aci])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
    }
}
