import Foundation
import HostTestSupport
import ImageTestSupport
import XCTest

/// End to end with a stock distribution image, as a user migrating from rkt or docker runs it (issue 21): Debian
/// bookworm with nginx-light from Debian's packages (scripts/make-debian-nginx-image.sh: debootstrap, so /dev holds
/// device nodes, and Debian's default site listens on 80 and [::]:80), an OCI image made with umoci, pushed to a
/// local docker-registry with skopeo, fetched with `rkt fetch docker://…` and run in each flavor. The welcome page
/// must answer at the pod's address and through `--port` on 127.0.0.1 (fly has no network of its own: the port
/// of the sandbox's host side). The kvm pod also serves a page from a read-only host volume and has a writable
/// one, both listing exactly the host directory's entries. Root; each pod runs in the harness's sandbox.
final class RealImagePodTests: XCTestCase {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var builtLayout: String?
    private static let welcome = "<title>Welcome to nginx!</title>"

    func testNamespaceFlavor() throws {
        let pods = try harness(.coreos)
        defer { pods.cleanUp() }
        let image = try fetchImage(pods)
        let uuid = try startPod(pods, flags: ["--port=80-tcp:18280"], image: image)
        let address = try NetworkPods.address(of: uuid, in: pods)
        XCTAssertTrue(try NetworkPods.fetch("http://\(address)/", in: pods, retries: 60)?.contains(Self.welcome) == true,
                      "the welcome page at the pod's address \(address)")
        XCTAssertTrue(try NetworkPods.fetch("http://127.0.0.1:18280/", in: pods)?.contains(Self.welcome) == true,
                      "and through --port on 127.0.0.1")
        try stop(pods, uuid)
    }

    func testFlyFlavor() throws {
        let pods = try harness(.fly)
        defer { pods.cleanUp() }
        let image = try fetchImage(pods)
        let uuid = try startPod(pods, flags: [], image: image)
        XCTAssertTrue(try NetworkPods.fetch("http://127.0.0.1:80/", in: pods, retries: 60)?.contains(Self.welcome) == true,
                      "fly shares the (sandbox's) host network: nginx answers on its port 80")
        XCTAssertTrue(try NetworkPods.fetch("http://[::1]:80/", in: pods)?.contains(Self.welcome) == true, "and on [::]:80")
        try stop(pods, uuid)
    }

    func testKvmFlavorWithReadOnlyAndWritableHostVolumes() throws {
        let pods = try harness(.kvm)
        defer { pods.cleanUp() }
        let image = try fetchImage(pods)
        let site = pods.fixture.directory + "/site", data = pods.fixture.directory + "/data"
        try FileManager.default.createDirectory(atPath: site + "/sub", withIntermediateDirectories: true)
        try "from a read-only host volume\n".write(toFile: site + "/index.html", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: data + "/logs", withIntermediateDirectories: true)
        try "x\n".write(toFile: data + "/.hidden", atomically: true, encoding: .utf8)
        let uuid = try startPod(pods, flags: ["--port=80-tcp:18281", "--volume=site,kind=host,source=\(site),readOnly=true",
                                              "--volume=data,kind=host,source=\(data)"],
                                image: image, appFlags: ["--mount=volume=site,target=/var/www/html", "--mount=volume=data,target=/srv/data"])
        let address = try NetworkPods.address(of: uuid, in: pods)
        XCTAssertEqual(try NetworkPods.fetch("http://\(address)/", in: pods, retries: 120), "from a read-only host volume\n",
                       "Debian's site (listen 80 and [::]:80) serves the read-only volume at the pod's address")
        XCTAssertEqual(try NetworkPods.fetch("http://127.0.0.1:18281/", in: pods), "from a read-only host volume\n", "and through --port")
        for (directory, target) in [(site, "/var/www/html"), (data, "/srv/data")] {
            let listed = try pods.run(["enter", uuid, "/bin/ls", "-A", target])
            XCTAssertEqual(listed.status, 0, listed.stderr)
            let host = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            XCTAssertEqual(listed.stdout.split(separator: "\n").map(String.init).sorted(), host, "\(target) lists the host directory's entries")
        }
        let written = try pods.run(["enter", uuid, "/bin/sh", "-c", "touch /var/www/html/x 2>/dev/null && echo rw || echo ro; touch /srv/data/y && echo rw"])
        XCTAssertEqual(written.stdout, "ro\nrw\n", written.stderr)
        try stop(pods, uuid)
    }

    // MARK: - helpers

    private func harness(_ flavor: Stage1Flavor) throws -> PodHarness {
        if let missing = RegistryServer.missingTools { throw XCTSkip(missing) }
        _ = try Self.imageLayout()
        return try NetworkPods.harness(flavor)
    }

    /// The image built once per run (cached under build/images across runs).
    private static func imageLayout() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let builtLayout { return builtLayout }
        let script = PodHarness.repositoryRoot + "/scripts/make-debian-nginx-image.sh"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let layout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 77 { throw XCTSkip(message) }
        guard process.terminationStatus == 0, !layout.isEmpty else {
            throw NetworkPods.PodFailure(message: "\(script) failed (\(process.terminationStatus)): \(message)")
        }
        builtLayout = layout
        return layout
    }

    /// Pushes the image to a registry on the test's loopback and fetches it into the harness's store (outside the
    /// sandbox, which cannot reach that loopback); returns the image ID.
    private func fetchImage(_ pods: PodHarness) throws -> String {
        let registry = try RegistryServer(directory: pods.fixture.directory, storage: pods.fixture.directory + "/registry")
        try registry.push("oci:\(try Self.imageLayout()):1", as: "e2e/debian-nginx:1")
        let fetched = try pods.runOutsideSandbox(["fetch", "--insecure-options=image,http", "docker://\(registry.host)/e2e/debian-nginx:1"])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        return fetched.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Prepares and starts the pod in the background; returns once `rkt status --wait-ready` says its app started.
    private func startPod(_ pods: PodHarness, flags: [String], image: String, appFlags: [String] = []) throws -> String {
        let prepared = try pods.run(["prepare", "--stage1-path=\(pods.stage1)"] + flags + [image] + appFlags)
        XCTAssertEqual(prepared.status, 0, prepared.stderr)
        let uuid = prepared.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try pods.start(["run-prepared", uuid])
        let ready = try pods.run(["status", "--wait-ready=300s", uuid])
        XCTAssertEqual(ready.status, 0, ready.stderr)
        XCTAssertTrue(ready.stdout.contains("state=running"), ready.stdout)
        return uuid
    }

    private func stop(_ pods: PodHarness, _ uuid: String) throws {
        let stopped = try pods.run(["stop", uuid])
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertEqual(try pods.run(["status", "--wait=120s", uuid]).status, 0)
    }
}
