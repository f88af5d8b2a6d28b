import Foundation
import XCTest

/// End to end: real busybox pods through the namespace stage1 (`stage1-coreos`; root only): exit statuses,
/// the pod init, hostnames, multi-app pods with their shared namespaces and logs, enter, stop, and gc
/// leaving no mounts, cgroups or network namespaces behind.
final class NamespacePodLifecycleTests: XCTestCase {
    private var pods: PodHarness!

    override func setUpWithError() throws {
        pods = try NamespacePods.harness()
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    func testSingleAppRunsBehindThePodInitWithTheDefaultHostname() throws {
        let result = try pods.runPod(["--exec", "/bin/sh", "--", "-c", "echo pid=$$; hostname; cat /etc/hostname; exit 7"])
        XCTAssertEqual(result.status, 7, result.stderr)
        let uuid = try XCTUnwrap(try pods.listStates().keys.first)
        XCTAssertEqual(result.stdout, "pid=2\nrkt-\(uuid)\nrkt-\(uuid)\n", "the app is PID 2, behind the pod init")
        let status = try pods.status(uuid)
        XCTAssertEqual(status["app-busybox"], "7")
        XCTAssertEqual(status["state"], "exited")
    }

    func testStage1NameSelectsTheNamespaceFlavor() throws {
        let images = pods.fixture.directory + "/stage1-images"
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: pods.stage1, toPath: images + "/stage1-coreos.aci")
        try FileManager.default.createDirectory(atPath: pods.rkt.root + "/local/paths.d", withIntermediateDirectories: true)
        try Data("{\"rktKind\":\"paths\",\"rktVersion\":\"v1\",\"stage1-images\":\"\(images)\"}".utf8)
            .write(to: URL(fileURLWithPath: pods.rkt.root + "/local/paths.d/paths.json"))
        let result = try pods.run(["run", "--stage1-name=coreos.com/rkt/stage1-coreos", "example.com/busybox",
                                   "--exec", "/bin/sh", "--", "-c", "echo $$"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "2\n")
        XCTAssertTrue(try pods.run(["image", "list"]).stdout.contains("coreos.com/rkt/stage1-coreos:0.0.0-test"))
    }

    func testHostnameFlagAndHostsFile() throws {
        let result = try pods.run(["run", "--stage1-path=\(pods.stage1)", "--hostname=custom-name", "example.com/busybox",
                                   "--exec", "/bin/sh", "--", "-c", "hostname; grep -c custom-name /etc/hosts"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "custom-name\n1\n")
    }

    func testNetHostSharesTheHostsNetworkOtherwiseOnlyLoopback() throws {
        // The pods' "host" network is the harness's sandbox.
        let host = try XCTUnwrap(pods.sandbox).networkNamespace
        let shared = try pods.run(["run", "--stage1-path=\(pods.stage1)", "--net=host", "example.com/busybox",
                                   "--exec", "/bin/sh", "--", "-c", "readlink /proc/self/ns/net"])
        XCTAssertEqual(shared.status, 0, shared.stderr)
        XCTAssertEqual(shared.stdout, host + "\n")
        let own = try pods.runPod(["--exec", "/bin/sh", "--", "-c", "readlink /proc/self/ns/net; ls /sys/class/net; ping -c 1 -W 2 127.0.0.1 >/dev/null && echo lo-up"],
                                  podFlags: ["--net=none"])
        XCTAssertEqual(own.status, 0, own.stderr)
        let lines = own.stdout.split(separator: "\n").map(String.init)
        XCTAssertNotEqual(lines.first, host)
        XCTAssertEqual(Array(lines.dropFirst()), ["lo", "lo-up"])
    }

    func testDNSAndHostsEntriesReachTheApp() throws {
        let result = try pods.run(["run", "--stage1-path=\(pods.stage1)", "--dns=192.0.2.1", "--dns-search=example.com",
                                   "--dns-opt=ndots:2", "--hosts-entry=192.0.2.7=db,db.local", "example.com/busybox",
                                   "--exec", "/bin/sh", "--", "-c", "cat /etc/resolv.conf; grep '^192.0.2.7' /etc/hosts"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "nameserver 192.0.2.1\nsearch example.com\noptions ndots:2\n192.0.2.7\tdb db.local\n")
        let refused = try pods.run(["run", "--stage1-path=\(pods.stage1)", "--hosts-entry=db", "example.com/busybox"])
        XCTAssertEqual(refused.status, 254)
        XCTAssertTrue(refused.stderr.contains("--hosts-entry"), refused.stderr)
        XCTAssertEqual(pods.podDirectories().values.flatMap { $0 }.count, 1, "a refused flag leaves no pod behind")
    }

    func testExitKilledAndCrashedAppsLeaveStatuses() throws {
        XCTAssertEqual(try pods.runPod(["--exec", "/bin/true"]).status, 0)
        XCTAssertEqual(try pods.runPod(["--exec", "/bin/sh", "--", "-c", "kill -KILL $$"]).status, 128 + SIGKILL)
        XCTAssertEqual(try pods.runPod(["--exec", "/bin/sh", "--", "-c", "kill -SEGV $$"]).status, 128 + SIGSEGV)
        let missing = try pods.runPod(["--exec", "/bin/sh", "--", "-c", "exec /does/not/exist"])
        XCTAssertEqual(missing.status, 127)
        let statuses = try pods.listStates().keys.map { try pods.status($0)["app-busybox"] ?? "none" }
        XCTAssertEqual(statuses.sorted(), ["0", "127", "137", "139"])
    }

    func testThePodInitReapsOrphans() throws {
        let script = """
            d=0.3; (sleep $d &)
            orphan() { ps -o ppid,stat,args | grep '^ *1 .*[s]leep 0[.]3'; }
            for i in $(seq 200); do [ -n "$(orphan)" ] && break; sleep 0.02; done
            [ -n "$(orphan)" ] || { echo "no orphan seen"; exit 2; }
            for i in $(seq 200); do [ -z "$(orphan)" ] && break; sleep 0.05; done
            ps -o ppid,stat,args | grep -c '^ *1 *Z' || true
            """
        let result = try pods.runPod(["--exec", "/bin/sh", "--", "-c", script])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "0\n", "the orphan was reparented to the init and reaped, no zombie left")
    }

    func testImageSymlinksCannotRedirectThePodsEtcFilesToTheHost() throws {
        let hostHosts = try String(contentsOfFile: "/etc/hosts", encoding: .utf8)
        try pods.fetchLayeredImage("example.com/links", symlinks: [
            "etc/hostname": "/../../../../../../../../etc/hostname",
            "etc/hosts": "../../../../../../../../../etc/hosts",
        ])
        let result = try pods.runPod(["--exec", "/bin/sh", "--", "-c", "cat /etc/hostname"], image: "example.com/links")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("rkt-"), result.stdout)
        XCTAssertEqual(try String(contentsOfFile: "/etc/hosts", encoding: .utf8), hostHosts, "the host's /etc/hosts is untouched")
    }

    func testTwoAppsShareProcessesIPCAndNetworkButNotTheHosts() throws {
        let namespaces = "for ns in ipc net pid uts; do echo $ns=$(readlink /proc/self/ns/$ns); done"
        let watcher = """
            \(namespaces)
            sleeper() { ps -o pid,args | awk '$2 == "sleep" && $3 == "30" { print $1 }'; }  # the exec'd sleep, not its shell
            for i in $(seq 600); do [ -n "$(sleeper)" ] && break; sleep 0.05; done
            echo processes=$(ls -d /proc/[0-9]* | wc -l)
            kill $(sleeper)
            """
        let result = try pods.run([
            "run", "--stage1-path=\(pods.stage1)",
            "example.com/busybox", "--name=watcher", "--exec", "/bin/sh", "--", "-c", watcher, "---",
            "example.com/busybox", "--name=sleeper", "--exec", "/bin/sh", "--", "-c", "\(namespaces); exec sleep 30",
        ])
        XCTAssertEqual(result.status, 128 + SIGTERM, "the sleeper was killed from the other app: \(result.stderr)")
        var seen: [String: [String: String]] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].hasSuffix(":") else { XCTFail("line without an app prefix: \(line)"); continue }
            let pair = parts[1].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { seen[String(parts[0].dropLast()), default: [:]][pair[0]] = pair[1] }
        }
        let watcherView = try XCTUnwrap(seen["watcher"]), sleeperView = try XCTUnwrap(seen["sleeper"])
        for ns in ["ipc", "net", "pid", "uts"] {
            let host = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\(ns)")
            XCTAssertEqual(watcherView[ns], sleeperView[ns], "both apps share the pod's \(ns) namespace")
            XCTAssertNotEqual(watcherView[ns], host, "the pod's \(ns) namespace is not the host's")
        }
        let processes = try XCTUnwrap(Int(watcherView["processes"] ?? ""))
        XCTAssertTrue((3...6).contains(processes), "only the pod's processes are visible (\(processes))")

        let uuid = try XCTUnwrap(try pods.listStates().keys.first)
        let status = try pods.status(uuid)
        XCTAssertEqual(status["app-watcher"], "0")
        XCTAssertEqual(status["app-sleeper"], String(128 + SIGTERM))
        let logs = try pods.run(["logs", "--app=watcher", uuid])
        XCTAssertEqual(logs.status, 0, logs.stderr)
        XCTAssertTrue(logs.stdout.hasPrefix("ipc="), "the log keeps the output without prefixes: \(logs.stdout)")
        XCTAssertEqual(try pods.run(["logs", uuid]).status, 254, "a multi-app pod needs --app")
    }

    func testEnterJoinsThePodAndStopEndsIt() throws {
        let uuid = try pods.prepare(["--exec", "/bin/sh", "--", "-c", "trap 'exit 5' TERM; while true; do sleep 0.1; done"],
)
        let process = try pods.start(["run-prepared", "--hostname=entered", uuid])
        let ready = try pods.run(["status", "--wait-ready=60s", uuid])
        XCTAssertEqual(ready.status, 0, ready.stderr)

        let entered = try pods.run(["enter", uuid, "/bin/sh", "-c", "hostname; echo $AC_APP_NAME; ls /proc | grep -c '^[0-9]'"])
        XCTAssertEqual(entered.status, 0, entered.stderr)
        let lines = entered.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(2)), ["entered", "busybox"])
        XCTAssertLessThan(Int(lines.last ?? "") ?? 100, 8, "enter sees the pod's processes only")
        XCTAssertEqual(try pods.run(["enter", uuid, "/bin/sh", "-c", "exit 9"]).status, 9)

        let stopped = try pods.run(["stop", uuid])
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 5, "the app's TERM trap ran")
        XCTAssertEqual(try pods.status(uuid, ["--wait=30s"])["app-busybox"], "5")
    }

    func testStopForceKillsThePod() throws {
        let uuid = try pods.prepare(["--exec", "/bin/sh", "--", "-c", "trap '' TERM; exec sleep 1000"])
        let process = try pods.start(["run-prepared", uuid])
        XCTAssertEqual(try pods.run(["status", "--wait-ready=60s", uuid]).status, 0)
        XCTAssertEqual(try pods.run(["stop", "--force", uuid]).status, 0)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 128 + SIGKILL)
        XCTAssertEqual(try pods.status(uuid, ["--wait=30s"])["app-busybox"], String(128 + SIGKILL))
    }

    func testStopEscalatesToSIGKILLForAnAppIgnoringSIGTERM() throws {
        let uuid = try pods.prepare(["--exec", "/bin/sh", "--", "-c", "trap '' TERM; while true; do sleep 0.1; done"])
        let process = try pods.start(["run-prepared", uuid])
        XCTAssertEqual(try pods.run(["status", "--wait-ready=60s", uuid]).status, 0)
        XCTAssertEqual(try pods.run(["stop", uuid]).status, 0)
        process.waitUntilExit() // the init's SIGKILL follows SIGTERM after its stop timeout
        XCTAssertEqual(process.terminationStatus, 128 + SIGKILL)
        XCTAssertEqual(try pods.status(uuid, ["--wait=30s"])["app-busybox"], String(128 + SIGKILL))
    }

    func testAFailingAppStartIsReportedAndEndsThePod() throws {
        let result = try pods.run(["run", "--stage1-path=\(pods.stage1)",
                                   "example.com/busybox", "--name=first", "--exec", "/bin/sleep", "--", "1000", "---",
                                   "example.com/busybox", "--name=second", "--seccomp=mode=remove,errno=EPERM,execve", "--exec", "/bin/true"])
        XCTAssertEqual(result.status, 254)
        XCTAssertTrue(result.stderr.contains("app second: exec failed: Operation not permitted"), result.stderr)
        XCTAssertEqual(try pods.listStates().values.first, "exited", "the first app went with the pod")
    }

    func testGCLeavesNoMountsCgroupsOrNetworkNamespaces() throws {
        // Counted for this pod only (its UUID, its network namespace), so pods of concurrent tests do not count.
        let result = try pods.runPod(["--memory=32M", "--exec", "/bin/sh", "--", "-c", "readlink /proc/self/ns/net"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let podNetwork = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(podNetwork.hasPrefix("net:["), podNetwork)
        XCTAssertFalse(NamespacePods.networkNamespaces().contains(podNetwork), "the pod's network namespace ended with the pod")
        let uuid = try XCTUnwrap(try pods.listStates().keys.first)
        let subcgroup = try String(contentsOfFile: pods.dataDirectory + "/pods/run/\(uuid)/subcgroup", encoding: .utf8)
        XCTAssertEqual(subcgroup, "\(pods.cgroupParent.name)/\(uuid)")
        let podCgroups = NamespacePods.podCgroups(pods).filter { $0.hasSuffix(uuid) }
        XCTAssertFalse(podCgroups.isEmpty, "the pod's cgroups exist until gc")
        XCTAssertFalse(try pods.mountsBelowDataDirectory().isEmpty, "the pod's overlays are mounted until gc")

        let gc = try pods.run(["gc", "--grace-period=0s"])
        XCTAssertEqual(gc.status, 0, gc.stderr)
        XCTAssertEqual(pods.podDirectories().values.flatMap { $0 }, [])
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [])
        XCTAssertEqual(NamespacePods.podCgroups(pods).filter { $0.hasSuffix(uuid) }, [], "gc removed \(podCgroups.sorted())")
        XCTAssertFalse(NamespacePods.networkNamespaces().contains(podNetwork))
    }
}
