import Foundation
import XCTest

/// End to end: app options and volumes applied inside real fly pods (root only).
final class FlyPodAppOptionsTests: XCTestCase {
    private var pods: PodHarness!

    override func setUpWithError() throws {
        pods = try PodHarness(.fly)
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    private func shell(_ script: String, podFlags: [String] = [], appFlags: [String] = []) throws -> RktProcess.Result {
        try pods.runPod(appFlags + ["--exec", "/bin/sh", "--", "-c", script], podFlags: podFlags)
    }

    func testReadOnlyAndReadWriteHostVolumesAndEmptyVolumes() throws {
        let readOnly = pods.fixture.directory + "/ro", readWrite = pods.fixture.directory + "/rw"
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: readWrite, withIntermediateDirectories: true)
        try Data("host data\n".utf8).write(to: URL(fileURLWithPath: readOnly + "/input"))
        let result = try shell(
            """
            cat /in/input
            echo nope > /in/x 2>/dev/null || echo read-only-refused
            echo pod data > /out/result
            stat -c %a /scratch; touch /scratch/ok && echo scratch-writable
            """,
            podFlags: ["--volume=in,kind=host,source=\(readOnly),readOnly=true", "--volume=out,kind=host,source=\(readWrite)",
                       "--volume=scratch,kind=empty,mode=0700", "--mount=volume=in,target=/in"],
            appFlags: ["--mount", "volume=out,target=/out", "--mount=volume=scratch,target=/scratch"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "host data\nread-only-refused\n700\nscratch-writable\n")
        XCTAssertEqual(try String(contentsOfFile: readWrite + "/result", encoding: .utf8), "pod data\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: readOnly + "/x"))
        XCTAssertEqual(try pods.mountsBelowDataDirectory().filter { $0.contains("/in") || $0.contains("/out") }, [],
                       "volume mounts live only in the pod's mount namespace")
    }

    func testUserAndGroupByNameFromTheImage() throws {
        try pods.fetchUsersImage()
        let result = try pods.runPod(["--user=app", "--group=staff", "--exec", "/bin/sh", "--",
                                           "-c", "id -u; id -g; echo $HOME $USER"], image: "example.com/users")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "1234\n2345\n/home/app app\n")
    }

    func testEnvironmentFlagsAndWorkingDirectory() throws {
        let envFile = pods.fixture.directory + "/env"
        try Data("# settings\nFROM_FILE=file\nOVERRIDDEN=file\n".utf8).write(to: URL(fileURLWithPath: envFile))
        let result = try shell(
            "echo $SET $FROM_FILE $OVERRIDDEN $APP_ONLY $AC_APP_NAME; pwd",
            podFlags: ["--set-env=SET=set", "--set-env=OVERRIDDEN=set", "--set-env-file=\(envFile)"],
            appFlags: ["--working-dir=/tmp", "--environment=APP_ONLY=app", "--name=shell"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "set file set app shell\n/tmp\n")
    }

    func testInheritEnv() throws {
        let result = try shell("echo ${HOME:-unset}", podFlags: ["--inherit-env"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, (ProcessInfo.processInfo.environment["HOME"] ?? "unset") + "\n")
    }

    func testImageDefaultsAndArgumentsOverride() throws {
        let defaults = try pods.runPod([])
        XCTAssertEqual(defaults.status, 0, defaults.stderr)
        XCTAssertEqual(defaults.stdout, "Hello from busybox in rkt\n")
        let arguments = try pods.runPod(["--", "-c", "echo replaced arguments", "---"])
        XCTAssertEqual(arguments.stdout, "replaced arguments\n")
    }

    func testAppWritesStayInThePod() throws {
        XCTAssertEqual(try shell("echo changed > /etc/motd").status, 0)
        let second = try shell("cat /etc/motd 2>/dev/null || echo pristine")
        XCTAssertEqual(second.stdout, "pristine\n", "the image tree is shared read-only; each pod writes to its own layer")
    }
}
