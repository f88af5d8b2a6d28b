import AppC
import Pods
import XCTest

final class IsolatorOptionsTests: XCTestCase {
    let imageID = try! ImageID("sha512-" + String(repeating: "ab", count: 32))

    func testFlagsAfterAnImageBecomeIsolators() throws {
        let apps = try RunArgumentParser.parse([
            "example.com/a", "--memory=64M", "--cpu", "500m", "--cpu-shares=512", "--oom-score-adj=-100",
            "--caps-retain=CAP_NET_ADMIN,CAP_CHOWN", "--seccomp", "mode=remove,errno=ENOTSUP,chmod,@docker/default-blacklist",
            "--readonly-rootfs", "--supplementary-gids=10,20", "--exec", "/bin/true",
        ])
        let options = try XCTUnwrap(apps.first).isolators
        XCTAssertEqual(options.memory, "64M")
        XCTAssertEqual(options.cpu, "500m")
        XCTAssertEqual(options.readOnlyRootFS, true)
        XCTAssertEqual(options.supplementaryGIDs, [10, 20])
        XCTAssertEqual(options.seccompMode, "remove")
        XCTAssertEqual(options.seccomp, SeccompSet(syscalls: ["chmod", "@docker/default-blacklist"], errno: "ENOTSUP"))
        XCTAssertEqual(apps[0].exec, "/bin/true", "a bare --readonly-rootfs does not take the next argument")

        let image = ImageManifest(name: try ACIdentifier("example.com/a"), app: App(
            exec: ["/bin/sh"], user: "0", group: "0",
            isolators: [try Isolator(.resourceMemory(ResourceLimits(limit: try ResourceQuantity("1G")))),
                        try Isolator(.capabilitiesRemoveSet(["CAP_KILL"]))]))
        let manifest = try PodManifestBuilder().build([.init(options: apps[0], imageManifest: image, imageID: imageID)])
        let app = try XCTUnwrap(manifest.apps.first)
        XCTAssertTrue(app.readOnlyRootFS)
        let isolators = try XCTUnwrap(app.app?.isolators)
        XCTAssertEqual(isolators.memoryLimitBytes, 64_000_000, "--memory replaces the image's limit")
        XCTAssertEqual(isolators.cpuLimitMillicores, 500)
        XCTAssertNil(isolators.first(named: KnownIsolator.capabilitiesRemoveSetName), "a retain set replaces the image's remove set")
        XCTAssertEqual(isolators.first(named: KnownIsolator.capabilitiesRetainSetName)?.known, .capabilitiesRetainSet(["CAP_NET_ADMIN", "CAP_CHOWN"]))
        XCTAssertEqual(isolators.first(named: KnownIsolator.oomScoreAdjName)?.known, .oomScoreAdj(-100))
        XCTAssertEqual(app.app?.supplementaryGIDs, [10, 20])
    }

    func testBadValuesNameTheFlag() {
        func refused(_ arguments: [String], _ text: String, line: UInt = #line) {
            XCTAssertThrowsError(try {
                let apps = try RunArgumentParser.parse(arguments)
                _ = try apps.first?.isolators.isolators()
            }(), line: line) { XCTAssertTrue("\($0)".contains(text), "\($0)", line: line) }
        }
        refused(["img", "--seccomp=chmod"], "mode=retain or mode=remove")
        refused(["img", "--seccomp=mode=retain"], "no syscalls")
        refused(["img", "--seccomp=mode=retain,errno=eperm,chmod"], "errno")
        refused(["img", "--cpu-shares=lots"], "--cpu-shares")
        refused(["img", "--cpu-shares=1"], "cpu-shares")
        refused(["img", "--oom-score-adj=5000"], "oom-score-adj")
        refused(["img", "--memory=-1"], "--memory")
        refused(["img", "--readonly-rootfs=maybe"], "--readonly-rootfs")
        refused(["img", "--caps-retain="], "--caps-retain")
        refused(["img", "--supplementary-gids=a"], "--supplementary-gids")
    }
}
