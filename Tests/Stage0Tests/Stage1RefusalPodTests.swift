import Foundation
import XCTest

/// Issue 21: `--port` on a fly pod, `--net=host` on a kvm pod and a `--port` name no image declares are refused
/// by stage0 (exit 254, the flag named) before a pod exists: nothing shows in `rkt list`, no pod directory is
/// left. `run-prepared` refuses the same way and leaves the pod prepared (root only).
final class Stage1RefusalPodTests: XCTestCase {
    private var pods: PodHarness?

    override func tearDown() {
        pods?.cleanUp()
    }

    private func assertRefusedWithoutAPod(_ result: RktProcess.Result, mentioning culprit: String,
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        guard let pods else { return XCTFail("no harness", file: file, line: line) }
        XCTAssertEqual(result.status, 254, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(culprit), result.stderr, file: file, line: line)
        XCTAssertEqual(try pods.listStates(), [:], "rkt list shows no pod", file: file, line: line)
        XCTAssertEqual(pods.podDirectories().values.flatMap { $0 }, [], "no pod directory", file: file, line: line)
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [], file: file, line: line)
    }

    func testFlyRefusesPort() throws {
        let pods = try PodHarness(.fly)
        self.pods = pods
        try NetworkPods.fetchWebImage(pods)
        try assertRefusedWithoutAPod(try pods.runPod([], podFlags: ["--port=http:18070"], image: NetworkPods.webImage),
                                     mentioning: "--port=http is not available in the fly flavor")
        try assertRefusedWithoutAPod(try pods.run(["prepare", "--stage1-path=\(pods.stage1)", "--port=http:18070", NetworkPods.webImage]),
                                     mentioning: "--port=http is not available in the fly flavor")
    }

    func testKvmRefusesHostNetworkAndUndeclaredPortBeforeAPodExists() throws {
        let pods = try PodHarness(.kvm)
        self.pods = pods
        try assertRefusedWithoutAPod(try pods.runPod([], podFlags: ["--net=host"]),
                                     mentioning: "--net=host is not available in the kvm flavor")
        try assertRefusedWithoutAPod(try pods.runPod([], podFlags: ["--port=nosuch:18071"]),
                                     mentioning: "--port=nosuch: no app of the pod declares a port named nosuch (the images name no ports)")

        let uuid = try pods.prepare([])
        let refused = try pods.run(["run-prepared", "--net=host", uuid])
        XCTAssertEqual(refused.status, 254, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--net=host is not available in the kvm flavor"), refused.stderr)
        XCTAssertEqual(try pods.listStates(), [uuid: "prepared"], "the pod stays prepared, not exited")
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [])
    }
}
