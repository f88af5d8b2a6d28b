import AppC
import CNI
import Foundation
import PodNetworking
@testable import Stage1Namespace
import XCTest

/// The parts of the namespace flavor's networking that need neither root nor plugins: `--port` forwards
/// resolved against the images' named ports, CNI_ARGS, and gc on a pod without networks.
final class PodNetworkSetupTests: XCTestCase {
    func testPortForwardsResolveNamedPorts() throws {
        let http = Port(name: try ACName("http"), protocol: "tcp", port: 80)
        let dns = Port(name: try ACName("dns"), protocol: "udp", port: 53, count: 2)
        let mappings = try PortForwards.mappings(exposed: [
            ExposedPort(name: try ACName("http"), hostPort: 18080, hostIP: "127.0.0.1"),
            ExposedPort(name: try ACName("dns"), hostPort: 5353),
        ], declared: [http, dns])
        XCTAssertEqual(mappings, [
            PortMapping(hostPort: 18080, containerPort: 80, protocol: "tcp", hostIP: "127.0.0.1"),
            PortMapping(hostPort: 5353, containerPort: 53, protocol: "udp"),
            PortMapping(hostPort: 5354, containerPort: 54, protocol: "udp"),
        ])
        XCTAssertThrowsError(try PortForwards.mappings(exposed: [ExposedPort(name: try ACName("ssh"), hostPort: 2222)], declared: [http, dns])) { error in
            XCTAssertEqual("\(error)", "--port=ssh: no app of the pod declares a port named ssh (declared: dns, http)")
        }
        XCTAssertThrowsError(try PortForwards.mappings(exposed: [ExposedPort(name: try ACName("dns"), hostPort: 65535)], declared: [dns]))
        XCTAssertThrowsError(try PortForwards.mappings(exposed: [ExposedPort(name: try ACName("http"), hostPort: 0)], declared: [http]))
        XCTAssertEqual(try PortForwards.mappings(exposed: [], declared: []), [])
    }

    func testCNIArgsFollowTheIgnoreUnknownConvention() {
        XCTAssertEqual(PodNetwork.cniArgs(.init(name: "n")), "")
        XCTAssertEqual(PodNetwork.cniArgs(.init(name: "n", args: [("IP", "10.0.0.9")])), "IgnoreUnknown=1;IP=10.0.0.9")
        XCTAssertEqual(PodNetwork.cniArgs(.init(name: "n", args: [("IgnoreUnknown", "0"), ("IP", "1.2.3.4")])), "IgnoreUnknown=0;IP=1.2.3.4")
    }

    func testReleaseOfAPodWithoutNetworksIsANoOp() throws {
        let directory = NSTemporaryDirectory() + "ns-net-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = PodNetwork(files: .init(directory: directory), uuid: "6f1c1a3e-1111-4222-8333-944455556666")
        XCTAssertEqual(try network.recorded(), [])
        try network.release()
        // A plain file where the namespace would be bound is no namespace: DEL would get an empty CNI_NETNS.
        FileManager.default.createFile(atPath: directory + "/netns", contents: Data())
        XCTAssertFalse(PodNetwork.isNamespaceFile(directory + "/netns"))
        XCTAssertTrue(PodNetwork.isNamespaceFile("/proc/self/ns/net"))
        try network.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/netns"))
        // A hostile record is refused with its path, and kept for a later look.
        try Data("{\"not\":\"a list\"}".utf8).write(to: URL(fileURLWithPath: directory + "/net-info.json"))
        XCTAssertThrowsError(try network.release()) { error in
            XCTAssertTrue("\(error)".contains("net-info.json: not a network record"), "\(error)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/net-info.json"))
    }
}
