import Foundation
import XCTest

/// End to end: the namespace flavor's isolators on real busybox pods (root only): memory limits, the
/// capability sets, seccomp filters, read-only roots, and `--insecure-options` turning them off.
final class NamespacePodIsolationTests: XCTestCase {
    private var pods: PodHarness!

    /// rkt's default set: AUDIT_WRITE CHOWN DAC_OVERRIDE FSETID FOWNER KILL MKNOD NET_RAW NET_BIND_SERVICE
    /// SETUID SETGID SETPCAP SETFCAP SYS_CHROOT, as /proc/PID/status prints it.
    static let defaultCapabilities = String(format: "%016llx", [29, 0, 1, 4, 3, 5, 27, 13, 10, 7, 6, 8, 31, 18]
        .reduce(UInt64(0)) { $0 | (UInt64(1) << UInt64($1)) })

    override func setUpWithError() throws {
        pods = try NamespacePods.harness()
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    private func output(_ appFlags: [String], _ script: String, podFlags: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try pods.runPod(appFlags + ["--exec", "/bin/sh", "--", "-c", script], podFlags: podFlags)
        return (result.status, result.stdout, result.stderr)
    }

    func testMemoryLimitOOMKillsTheAllocatingProcess() throws {
        // tail keeps the last lines of input without newlines in memory: 256 MiB against a 64M limit.
        let result = try output(["--memory=64M"], "head -c 256m /dev/zero | tail")
        XCTAssertEqual(result.status, 128 + SIGKILL, "tail is OOM-killed: \(result.stderr)")
        let uuid = try XCTUnwrap(try pods.listStates().keys.first)
        XCTAssertEqual(try pods.status(uuid)["app-busybox"], String(128 + SIGKILL))
        XCTAssertEqual(try output([], "head -c 256m /dev/zero | tail | wc -c").stdout, "268435456\n", "no limit, no kill")
    }

    func testCPULimitSharesAndOOMScoreReachTheAppsCgroupAndProcess() throws {
        let uuid = try pods.prepare(["--cpu=250m", "--cpu-shares=512", "--oom-score-adj=300", "--exec", "/bin/sh", "--", "-c",
                                     "exec sleep 1000"])
        let process = try pods.start(["run-prepared", uuid])
        XCTAssertEqual(try pods.run(["status", "--wait-ready=60s", uuid]).status, 0)
        defer { _ = try? pods.run(["stop", "--force", uuid]); process.waitUntilExit() }
        let root = "/sys/fs/cgroup"
        let app: String
        if FileManager.default.fileExists(atPath: root + "/cgroup.controllers") {
            app = root + "/\(pods.cgroupParent.name)/\(uuid)/app-busybox"
            XCTAssertEqual(try String(contentsOfFile: app + "/cpu.max", encoding: .utf8), "25000 100000\n")
        } else {
            let cpu = FileManager.default.fileExists(atPath: root + "/cpu/cgroup.procs") ? root + "/cpu" : root + "/cpu,cpuacct"
            app = cpu + "/\(pods.cgroupParent.name)/\(uuid)/app-busybox"
            XCTAssertEqual(try String(contentsOfFile: app + "/cpu.cfs_quota_us", encoding: .utf8), "25000\n")
            XCTAssertEqual(try String(contentsOfFile: app + "/cpu.shares", encoding: .utf8), "512\n")
        }
        let pids = try String(contentsOfFile: app + "/cgroup.procs", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(pids.count, 1, "the app (and only it) is in its cgroup")
        XCTAssertEqual(try String(contentsOfFile: "/proc/\(pids.first ?? "0")/oom_score_adj", encoding: .utf8), "300\n")
    }

    func testUserGroupAndSupplementaryGroups() throws {
        try pods.fetchUsersImage()
        let result = try pods.runPod(["--user=app", "--group=staff", "--supplementary-gids=10,20", "--exec", "/bin/sh", "--", "-c",
                                      "id -u; id -g; id -G; grep CapEff /proc/self/status"], image: "example.com/users")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "1234\n2345\n2345 10 20\nCapEff:\t0000000000000000\n", "a non-root app keeps no capabilities")
    }

    func testCapabilitiesDefaultRetainAndRemove() throws {
        let script = "grep -E '^Cap(Eff|Bnd):' /proc/self/status | awk '{print $2}'"
        XCTAssertEqual(try output([], script).stdout, "\(Self.defaultCapabilities)\n\(Self.defaultCapabilities)\n")
        XCTAssertEqual(try output(["--caps-retain=CAP_NET_ADMIN,CAP_KILL"], script).stdout, "0000000000001020\n0000000000001020\n")
        let removed = try output(["--caps-remove=CAP_KILL"], script).stdout
        let expected = String(format: "%016llx", UInt64(Self.defaultCapabilities, radix: 16)! & ~(UInt64(1) << 5))
        XCTAssertEqual(removed, "\(expected)\n\(expected)\n")
        let unrestricted = try output([], script, podFlags: ["--insecure-options=image,capabilities"]).stdout
        XCTAssertNotEqual(unrestricted.split(separator: "\n").first.map(String.init), Self.defaultCapabilities)
        XCTAssertEqual(try output([], "grep NoNewPrivs /proc/self/status").stdout, "NoNewPrivs:\t1\n")
    }

    func testSeccompFiltersReturnTheConfiguredErrnoOrKill() throws {
        let retained = try output(["--seccomp=mode=retain,errno=ENOTSUP,@rkt/default-whitelist"], "mount -t tmpfs x /mnt; echo status=$?")
        XCTAssertEqual(retained.stdout, "status=255\n")
        XCTAssertTrue(retained.stderr.contains("Operation not supported"), retained.stderr)
        let removed = try output(["--seccomp=mode=remove,errno=EXDEV,chmod,fchmodat"], "chmod 600 /etc/passwd; echo status=$?")
        XCTAssertEqual(removed.stdout, "status=1\n")
        XCTAssertTrue(removed.stderr.contains("cross-device"), removed.stderr)
        XCTAssertEqual(try output([], "exec /bin/umount /proc").status, 128 + SIGSYS, "the default filter kills")
        let unfiltered = try output([], "umount /proc; echo status=$?", podFlags: ["--insecure-options=image,seccomp"])
        XCTAssertEqual(unfiltered.stdout, "status=1\n", "without a filter umount fails on permissions only: \(unfiltered.stderr)")
    }

    func testKernelKnobsAreReadOnlyAndLeakyFilesMaskedUnlessPathsAreInsecure() throws {
        guard FileManager.default.fileExists(atPath: "/proc/timer_list") else { throw XCTSkip("this kernel has no /proc/timer_list") }
        let script = "wc -c < /proc/timer_list; echo x > /proc/sys/kernel/domainname; touch /sys/x"
        let restricted = try output([], script)
        XCTAssertEqual(restricted.stdout, "0\n", "/proc/timer_list is masked")
        XCTAssertEqual(restricted.stderr.components(separatedBy: "Read-only file system").count - 1, 2, restricted.stderr)
        let open = try output([], script, podFlags: ["--insecure-options=image,paths"])
        XCTAssertNotEqual(open.stdout, "0\n", "/proc/timer_list is the kernel's")
        XCTAssertFalse(open.stderr.contains("Read-only file system"), open.stderr)
    }

    func testReadOnlyRootfsRefusesWritesButVolumesStayWritable() throws {
        let volume = pods.fixture.directory + "/rw-volume"
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        let result = try output(["--readonly-rootfs", "--mount=volume=data,target=/data"],
                                "touch /etc/x; echo root=$?; touch /data/x; echo volume=$?",
                                podFlags: ["--volume=data,kind=host,source=\(volume)"])
        XCTAssertEqual(result.stdout, "root=1\nvolume=0\n", result.stderr)
        XCTAssertTrue(result.stderr.contains("Read-only file system"), result.stderr)
        XCTAssertEqual(try output([], "touch /etc/x; echo root=$?").stdout, "root=0\n")
    }
}
