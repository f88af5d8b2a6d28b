import Foundation
import XCTest

/// End to end: pods that cannot start are refused before exec, with the culprit named, and leave no pod
/// behind (root only).
final class FlyPodFailureTests: XCTestCase {
    private var pods: PodHarness!

    override func setUpWithError() throws {
        pods = try PodHarness(.fly)
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    private func assertRefused(_ podFlags: [String], _ appArguments: [String], mentioning culprit: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try pods.runPod(appArguments, podFlags: podFlags)
        XCTAssertEqual(result.status, 254, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertTrue(result.stderr.contains(culprit), result.stderr, file: file, line: line)
        XCTAssertEqual(pods.podDirectories()["run"], [], "no pod in run/", file: file, line: line)
        XCTAssertEqual(pods.podDirectories().values.flatMap { $0 }, [], "no pod at all", file: file, line: line)
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [], file: file, line: line)
    }

    func testMissingBinary() throws {
        try assertRefused([], ["--exec", "/bin/no-such-program"], mentioning: "/bin/no-such-program")
        try assertRefused([], ["--exec", "no-such-program"], mentioning: "no-such-program not found in PATH")
    }

    func testUnknownUserAndGroup() throws {
        try assertRefused([], ["--user=ghost"], mentioning: "user \"ghost\"")
        try assertRefused([], ["--group=ghosts"], mentioning: "group \"ghosts\"")
    }

    func testAbsentVolumeSource() throws {
        let absent = pods.fixture.directory + "/absent"
        try assertRefused(["--volume=data,kind=host,source=\(absent)", "--mount=volume=data,target=/data"], [],
                          mentioning: "volume data: source \(absent) does not exist")
    }

    func testBadFlagsAndMissingWorkingDirectory() throws {
        try assertRefused(["--mount=volume=undefined,target=/x"], [], mentioning: "\"undefined\"")
        try assertRefused([], ["--working-dir=/no/such/dir"], mentioning: "working directory /no/such/dir")
        try assertRefused([], ["--bogus-flag"], mentioning: "--bogus-flag")
    }

    func testMissingStage1() throws {
        let result = try pods.run(["run", "--stage1-path=/nonexistent/stage1.aci", "example.com/busybox"])
        XCTAssertEqual(result.status, 254)
        XCTAssertTrue(result.stderr.contains("/nonexistent/stage1.aci"), result.stderr)
        XCTAssertEqual(pods.podDirectories().values.flatMap { $0 }, [])
    }
}
