import GuestProtocol
import XCTest

final class GuestPodConfigTests: XCTestCase {
    private func sample() -> GuestPodConfig {
        var config = GuestPodConfig(diskCount: 6, hostname: "rkt-1234")
        config.dnsServers = ["10.0.0.1"]
        config.dnsSearch = ["example.com"]
        config.hostsEntries = [["10.0.0.2", "db", "db.local"]]
        config.volumes = [GuestVolume(name: "data", source: .empty), GuestVolume(name: "logs", source: .disk(5), readOnly: true)]
        var eth0 = GuestInterface(name: "eth0", address: "172.16.28.5", prefixLength: 24)
        eth0.routes = [GuestInterface.Route(destination: "0.0.0.0", prefixLength: 0, gateway: "172.16.28.1")]
        config.interfaces = [eth0]
        var web = GuestApp(name: "web", imageDisk: 3, program: "/bin/httpd", arguments: ["httpd", "-f", "-h", "/srv www"])
        web.environment = ["PATH=/bin", "GREETING=a b=c"]
        web.uid = 1000
        web.gid = 100
        web.supplementaryGIDs = [10, 20]
        web.workingDirectory = "/srv"
        web.readOnlyRootfs = true
        web.mounts = [GuestAppMount(volume: "data", target: "/data", readOnly: false),
                      GuestAppMount(volume: "logs", target: "/var/log", readOnly: true)]
        web.retainedCapabilities = [0, 1, 21]
        web.seccompFilter = [0x06, 0, 0, 0, 0, 0, 0xff, 0x7f]
        config.apps = [web, GuestApp(name: "side", imageDisk: 4, program: "/bin/sh", arguments: ["sh", "-c", "sleep 1"])]
        return config
    }

    func testRoundTrip() throws {
        let config = sample()
        XCTAssertEqual(try GuestPodConfig(text: Array(config.encoded().utf8)), config)
    }

    func testTextIsReadableLines() {
        let text = sample().encoded()
        XCTAssertTrue(text.hasPrefix("rkt-guest-config 1\ndisks 6\nhostname rkt-1234\n"))
        XCTAssertTrue(text.contains("\nexec /bin/httpd httpd -f -h /srv%20www\n"))
        XCTAssertTrue(text.contains("\nvolume data empty\nvolume logs disk 5 ro\n"), "a read-only volume's disk is marked")
        XCTAssertTrue(text.hasSuffix("\nend\n"))
    }

    func testTruncatedConfigIsRefused() {
        let text = Array(sample().encoded().utf8)
        for cut in [0, 10, text.count / 2, text.count - 4, text.count - 1] {
            XCTAssertThrowsError(try GuestPodConfig(text: text[0..<cut]), "accepted a config cut at \(cut)")
        }
    }

    func testHostileConfigsAreRefused() {
        let valid = sample().encoded()
        let replacements: [(String, String)] = [
            ("rkt-guest-config 1", "rkt-guest-config 2"),
            ("disks 6", "disks 65"),
            ("disks 6", "disks 2"),
            ("app web 3", "app web 2"),          // the scratch disk is not an image
            ("app web 3", "app web 6"),          // beyond the attached disks
            ("app web 3", "app Web 3"),          // not an ACName
            ("app side 4", "app web 4"),         // duplicate app
            ("exec /bin/httpd", "exec bin/httpd"),
            ("exec /bin/httpd httpd -f -h /srv%20www", "exec /bin/httpd"),   // no argv
            ("cwd /srv", "cwd /srv/../.."),
            ("mount data /data rw", "mount nope /data rw"),
            ("mount data /data rw", "mount data / rw"),
            ("mount data /data rw", "mount data /../etc rw"),
            ("user 1000 100", "user -1 100"),
            ("env PATH=/bin", "env =x"),
            ("volume logs disk 5", "volume logs disk 1"),
            ("volume logs disk 5 ro", "volume logs disk 5 rw"),
            ("volume logs disk 5 ro", "volume logs disk 5 ro ro"),
            ("volume data empty", "volume data empty ro"),
            ("hostname rkt-1234", "hostname a%20b"),
            ("end", "end now"),
            ("caps 0 1 21", "caps 0 64"),
            ("interface eth0 172.16.28.5/24", "interface eth1 172.16.28.5/24"),    // out of order
            ("interface eth0 172.16.28.5/24", "interface eth0 172.16.28.256/24"),
            ("interface eth0 172.16.28.5/24", "interface eth0 172.16.28.5/33"),
            ("route 0.0.0.0/0 172.16.28.1", "route 0.0.0.0/0 gateway"),
            ("seccomp-bpf 060000000000ff7f", "seccomp-bpf 0600"),          // not whole instructions
            ("seccomp-bpf 060000000000ff7f", "seccomp-bpf 060000000000fX7f"),
        ]
        for (original, hostile) in replacements {
            let text = valid.replacingOccurrences(of: original, with: hostile)
            XCTAssertNotEqual(text, valid, "replacement \(original) did not apply")
            XCTAssertThrowsError(try GuestPodConfig(text: Array(text.utf8)), "accepted: \(hostile)")
        }
        XCTAssertThrowsError(try GuestPodConfig(text: Array((valid + "app x 3\n").utf8)), "text after end")
        XCTAssertThrowsError(try GuestPodConfig(text: Array(valid.replacingOccurrences(of: "exec /bin/sh sh -c sleep%201\n", with: "").utf8)),
                             "an app without exec")
    }

    func testAppCountIsBounded() {
        var config = GuestPodConfig(diskCount: 4, hostname: "h")
        config.apps = (0...GuestPodConfig.maximumApps).map { GuestApp(name: "a\($0)", imageDisk: 3, program: "/x", arguments: ["x"]) }
        XCTAssertThrowsError(try GuestPodConfig(text: Array(config.encoded().utf8)))
    }

    func testDeviceNamesFollowTheKernelsScheme() {
        XCTAssertEqual(GuestDisks.deviceName(index: 0), "vda")
        XCTAssertEqual(GuestDisks.deviceName(index: 2), "vdc")
        XCTAssertEqual(GuestDisks.deviceName(index: 25), "vdz")
        XCTAssertEqual(GuestDisks.deviceName(index: 26), "vdaa")
        XCTAssertEqual(GuestDisks.deviceName(index: 51), "vdaz")
        XCTAssertEqual(GuestDisks.deviceName(index: 52), "vdba")
    }
}
