import CNI
import Foundation
import GuestProtocol
@testable import Stage1Kvm
import XCTest

/// How the kvm stage1 describes the pod's networks to the guest: the namespace's routes as the kernel lists
/// them, name resolution from stage0's files or the CNI result, the VMM's `--net` arguments. No root, no KVM.
final class KvmNetworkTests: XCTestCase {
    /// What CNI's ptp plugin leaves in a pod namespace (172.16.28.7/24 on eth0, gateway .1): a link route to the
    /// gateway, the subnet via the gateway, the default route; another interface's route is not eth0's.
    static let ptpRoutes = """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        eth0\t00000000\t011C10AC\t0003\t0\t0\t0\t00000000\t0\t0\t0
        eth0\t001C10AC\t011C10AC\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0
        eth0\t011C10AC\t00000000\t0005\t0\t0\t0\tFFFFFFFF\t0\t0\t0
        eth1\t00004D0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        eth0\tZZZZ\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        eth0\t00000000\t00000000\t0001\t0\t0\t0\t00FF00FF\t0\t0\t0
        """

    func testRoutesOfAnInterfaceComeLinkRoutesFirstAndSkipBadLines() {
        XCTAssertEqual(RouteTable.routes(of: "eth0", procNetRoute: Self.ptpRoutes), [
            .init(destination: "172.16.28.1", prefixLength: 32, gateway: "0.0.0.0"),
            .init(destination: "0.0.0.0", prefixLength: 0, gateway: "172.16.28.1"),
            .init(destination: "172.16.28.0", prefixLength: 24, gateway: "172.16.28.1"),
        ])
        XCTAssertEqual(RouteTable.routes(of: "eth1", procNetRoute: Self.ptpRoutes), [
            .init(destination: "10.77.0.0", prefixLength: 24, gateway: "0.0.0.0"),
        ])
        XCTAssertEqual(RouteTable.routes(of: "eth2", procNetRoute: Self.ptpRoutes), [])
        XCTAssertEqual(RouteTable.routes(of: "eth0", procNetRoute: ""), [])
    }

    func testNamesComeFromStageZerosFilesBeforeTheNetworksDNS() throws {
        let root = NSTemporaryDirectory() + "kvm-names-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dns = try JSONDecoder().decode(CNIResult.DNS.self, from: Data(#"{"nameservers":["172.16.28.1"],"domain":"pods.local","options":["ndots:1"]}"#.utf8))

        var fromNetwork = GuestPodConfig(diskCount: 3, hostname: "h")
        try fromNetwork.applyNames(stage1Rootfs: root, networkDNS: dns)
        XCTAssertEqual(fromNetwork.dnsServers, ["172.16.28.1"])
        XCTAssertEqual(fromNetwork.dnsSearch, ["pods.local"])
        XCTAssertEqual(fromNetwork.dnsOptions, ["ndots:1"])
        XCTAssertEqual(fromNetwork.hostsEntries, [])

        try "# by rkt\nnameserver 10.0.0.53\nnameserver 10.0.0.54 extra\nsearch a.example b.example\noptions rotate\n"
            .write(toFile: root + "/etc/rkt-resolv.conf", atomically: true, encoding: .utf8)
        try "10.0.0.2 db db.local # the database\n\n".write(toFile: root + "/etc/rkt-hosts", atomically: true, encoding: .utf8)
        var fromFlags = GuestPodConfig(diskCount: 4, hostname: "h")
        try fromFlags.applyNames(stage1Rootfs: root, networkDNS: dns)
        XCTAssertEqual(fromFlags.dnsServers, ["10.0.0.53", "10.0.0.54"])
        XCTAssertEqual(fromFlags.dnsSearch, ["a.example", "b.example"])
        XCTAssertEqual(fromFlags.dnsOptions, ["rotate"])
        XCTAssertEqual(fromFlags.hostsEntries, [["10.0.0.2", "db", "db.local"]])
        fromFlags.apps = [GuestApp(name: "app", imageDisk: 3, program: "/bin/true", arguments: ["true"])]
        let parsed = try GuestPodConfig(text: Array(fromFlags.encoded().utf8))
        XCTAssertEqual(parsed.dnsServers, fromFlags.dnsServers, "the guest reads what the host wrote")
        XCTAssertEqual(parsed.hostsEntries, fromFlags.hostsEntries)
    }

    func testEachDeviceBecomesAnRktVmmNetArgumentWithTheVethsMAC() {
        var network = KvmNetwork()
        network.devices = [
            .init(tap: "tap0", mac: [0x0a, 0x58, 0xac, 0x10, 0x1c, 0x07], interface: GuestInterface(name: "eth0", address: "172.16.28.7", prefixLength: 24)),
            .init(tap: "tap1", mac: [0x02, 0, 0, 0, 0, 0xff], interface: GuestInterface(name: "eth1", address: "10.77.0.9", prefixLength: 24)),
        ]
        XCTAssertEqual(network.vmmArguments, ["--net", "tap0,mac=0a:58:ac:10:1c:07", "--net", "tap1,mac=02:00:00:00:00:ff"])
        XCTAssertEqual(GuestInterface.network(of: [172, 16, 28, 7], prefixLength: 24), "172.16.28.0")
        XCTAssertEqual(GuestInterface.network(of: [10, 77, 200, 9], prefixLength: 12), "10.64.0.0")
    }
}
