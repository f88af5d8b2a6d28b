import Foundation
import ImageTestSupport
import XCTest

/// `rkt run docker://…` in every flavor: the pod code fetches through the same path as `rkt fetch`, renders
/// the layers (whiteouts applied) and runs the image's Entrypoint+Cmd with its Env. Needs root.
final class PodDockerImageTests: XCTestCase {
    func testFlyFlavor() throws { try runDockerImageFromALocalRegistry(.fly) }

    func testNamespaceFlavor() throws { try runDockerImageFromALocalRegistry(.coreos) }

    func testKvmFlavor() throws { try runDockerImageFromALocalRegistry(.kvm) }

    private func runDockerImageFromALocalRegistry(_ flavor: Stage1Flavor) throws {
        if let missing = RegistryServer.missingTools { throw XCTSkip(missing) }
        // The registry listens on the test's own loopback, so rkt runs in the test's namespaces, and the pod stays
        // off the host's networks (--net=none).
        let harness = try PodHarness(flavor, sandboxed: false)
        defer { harness.cleanUp() }
        let layout = try OCILayoutBuilder(directory: harness.fixture.directory + "/layout")
        let base = try layout.addLayer(.init(
            files: ["etc/motd": "base motd", "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n", "etc/group": "root:x:0:\n"],
            directories: ["tmp"], hostFiles: ["bin/busybox": "/bin/busybox"]))
        let top = try layout.addLayer(.init(files: ["etc/greeting": "from the top layer"], whiteouts: ["etc/motd"]))
        try layout.tag(try layout.addManifest(layers: [base, top], config: [
            "Entrypoint": ["/bin/busybox", "sh", "-c"],
            "Cmd": ["echo \"$GREETING\"; cat /etc/greeting; echo; test -e /etc/motd || echo motd-whited-out; exit 7"],
            "Env": ["GREETING=hello docker", "PATH=/bin"],
        ]), as: "v1")
        let registry = try RegistryServer(directory: harness.fixture.directory, storage: harness.fixture.directory + "/registry")
        try registry.push("oci:\(layout.directory):v1", as: "e2e/busybox:v1")

        let result = try harness.run(["run", "--insecure-options=image,http", "--stage1-path=\(harness.stage1)"]
                                     + (flavor == .fly ? [] : ["--net=none"]) + ["docker://\(registry.host)/e2e/busybox:v1"])
        XCTAssertEqual(result.status, 7, result.stderr)
        XCTAssertTrue(result.stdout.contains("hello docker"), result.stdout)
        XCTAssertTrue(result.stdout.contains("from the top layer"), result.stdout)
        XCTAssertTrue(result.stdout.contains("motd-whited-out"), result.stdout)
    }
}
