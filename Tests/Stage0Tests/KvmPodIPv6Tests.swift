import Foundation
import XCTest

/// The kvm flavor's guest kernel speaks IPv6 (issue 21: stock nginx listens on [::]:80 and died with "Address
/// family not supported by protocol"): loopback answers on ::1 and the pod's interface gets its link-local
/// address. Root, KVM, the CNI plugins; one pod, booted in the harness's own network sandbox.
final class KvmPodIPv6Tests: XCTestCase {
    func testTheGuestHasIPv6OnLoopbackAndALinkLocalAddressOnItsInterface() throws {
        let pods = try NetworkPods.harness(.kvm)
        defer { pods.cleanUp() }
        let script = "ping -6 -c 1 -W 5 ::1 >/dev/null && echo loopback6-answers; "
            + "ip -6 -o addr show dev eth0 scope link | grep -c ' fe80::'; "
            + "httpd -p '[::]:8080' -h / && grep -c ':1F90 ' /proc/net/tcp6"  // httpd binds before it daemonizes
        let result = try pods.runPod(["--exec", "/bin/sh", "--", "-c", script])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "loopback6-answers\n1\n1\n", "an IPv6 listener on [::]:8080 too")
    }
}
