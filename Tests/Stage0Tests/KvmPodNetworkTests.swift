import Foundation
import HostTestSupport
import XCTest

/// End to end: kvm pods on real CNI networks (root, KVM, Debian's containernetworking-plugins, iptables).
/// The VM's virtio-net device sits on a tap in the pod's network namespace, joined to the CNI veth by tc
/// redirects; the guest gets the veth's MAC, address and routes. Each pod boots a kernel (~20–30 s here).
final class KvmPodNetworkTests: XCTestCase {
    private var pods: PodHarness!

    override func setUpWithError() throws {
        pods = try NetworkPods.harness(.kvm)
        try NetworkPods.fetchWebImage(pods)
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    func testWebPodAnswersAtItsAddressAndHostPortAnotherPodReachesItAndGcReleasesEverything() throws {
        // A fresh sandbox that has never seen portmap: the server pod creates portmap's shared chains, which the
        // snapshots leave out by name (NetworkSnapshot.keptByDesign); the pod's own rules must still go.
        let before = try pods.networkSnapshot()
        XCTAssertEqual(before.rules.filter { $0.contains("CNI-") }, [], "no CNI rule before the first pod")

        let server = try NetworkPods.BackgroundPod(pods, podFlags: ["--port=http:18180"])
        let address = try server.address()
        XCTAssertTrue(address.hasPrefix("172.16.28."), address)
        XCTAssertEqual(try NetworkPods.fetch("http://\(address)/index.html", in: pods), "hello from the pod\n", "the VM answers at its CNI address")
        XCTAssertEqual(try NetworkPods.fetch("http://\(HostSandbox.hostAddress):18180/index.html", in: pods), "hello from the pod\n",
                       "and on the forwarded host port")
        let directory = pods.dataDirectory + "/pods/run/" + server.uuid
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/netns"))

        let client = try pods.runPod(["--exec", "/bin/sh", "--", "-c",
                                      "ip -4 -o addr show eth0 | awk '{print $4}'; printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 10 \(address) 80"])
        XCTAssertEqual(client.status, 0, client.stderr)
        XCTAssertTrue(client.stdout.hasPrefix("172.16.28."), "the client VM has its own address: \(client.stdout)")
        XCTAssertTrue(client.stdout.contains("HTTP/1.1 200 OK"), client.stdout)
        XCTAssertTrue(client.stdout.hasSuffix("\r\n\r\nhello from the pod\n"), client.stdout)

        try server.stop()
        let collected = try pods.run(["gc", "--grace-period=0s"])
        XCTAssertEqual(collected.status, 0, collected.stderr)
        let after = try pods.networkSnapshot()
        XCTAssertEqual(after.interfaces, before.interfaces, "veths gone")
        XCTAssertEqual(after.routes, before.routes, "host routes gone")
        XCTAssertEqual(after.rules, before.rules, "NAT and forward rules gone (portmap's shared chains excepted by name)")
        XCTAssertEqual(after.leases, before.leases, "IPAM leases released")
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [], "netns files unmounted")
        XCTAssertNil(try NetworkPods.fetch("http://127.0.0.1:18180/index.html", in: pods), "the port is closed again")
    }

    /// Issue 21: an exited kvm pod releases its forwarded port and address at exit, not at gc.
    func testExitedPodReleasesItsPortAndAddressWithoutGc() throws {
        try NetworkPods.assertExitReleasesPorts(pods, port: 18182)
    }

    func testNoneGivesTheGuestOnlyLoopbackHostIsRefusedAndAFailedStartReleasesTheNetwork() throws {
        let none = try pods.runPod(["--exec", "/bin/sh", "--", "-c", "ls /sys/class/net"], podFlags: ["--net=none"])
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertEqual(none.stdout, "lo\n")
        let host = try pods.runPod(["--exec", "/bin/true"], podFlags: ["--net=host"])
        XCTAssertNotEqual(host.status, 0)
        XCTAssertTrue(host.stderr.contains("--net=host is not available in the kvm flavor"), host.stderr)

        // The networks are added before the pod's disks are built; a pod that cannot start (here: its host
        // volume's source is missing) deletes them again before `rkt run` ends.
        let before = try pods.networkSnapshot()
        let missing = "/nonexistent-rkt-kvm-volume-source"
        let failed = try pods.runPod(["--exec", "/bin/true", "--mount=volume=data,target=/data"],
                                     podFlags: ["--volume=data,kind=host,source=\(missing)"])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(failed.stderr.contains(missing), failed.stderr)
        let after = try pods.networkSnapshot()
        XCTAssertEqual(after.leases, before.leases, "the lease was released before rkt run ended")
        XCTAssertEqual(after.interfaces, before.interfaces)
        XCTAssertEqual(after.routes, before.routes)
    }
}
