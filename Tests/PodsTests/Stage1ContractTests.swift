import Pods
import XCTest

final class Stage1ContractTests: XCTestCase {
    let uuid = "6f1c1a3e-1111-4222-8333-944455556666"

    func testStage1ArgumentsRoundTrip() throws {
        var arguments = Stage1Arguments(uuid: uuid)
        arguments.debug = true
        arguments.interactive = true
        arguments.net = "host"
        arguments.hostname = "box"
        arguments.localConfig = "/tmp/local"
        arguments.disableSeccomp = true
        XCTAssertEqual(arguments.arguments, ["--debug", "--net=host", "--interactive", "--local-config=/tmp/local",
                                             "--hostname=box", "--mds-register=false", "--disable-seccomp", uuid])
        XCTAssertEqual(try Stage1Arguments(parsing: arguments.arguments), arguments)
        arguments.systemConfig = "/tmp/system"
        XCTAssertEqual(arguments.arguments[3...4], ["--local-config=/tmp/local", "--system-config=/tmp/system"])
        XCTAssertEqual(try Stage1Arguments(parsing: arguments.arguments), arguments)
    }

    func testStage1ArgumentsIgnoreUnknownFlagsButNeedAUUID() throws {
        XCTAssertEqual(try Stage1Arguments(parsing: ["--future-flag=1", uuid]).uuid, uuid)
        XCTAssertThrowsError(try Stage1Arguments(parsing: ["--debug"]))
        XCTAssertThrowsError(try Stage1Arguments(parsing: ["../../etc"]))
        XCTAssertThrowsError(try Stage1Arguments(parsing: [uuid, uuid]))
    }

    func testEntrypointsStayInsideTheStage1() throws {
        let files = PodFiles(directory: "/pods/run/x")
        XCTAssertEqual(try files.stage1Entrypoint("/fly/run"), "/pods/run/x/stage1/rootfs/fly/run")
        for hostile in ["fly/run", "/../../bin/sh", "/fly/./run", "/", "/fly//run"] {
            XCTAssertThrowsError(try files.stage1Entrypoint(hostile), hostile)
        }
    }

    func testMountInfoParsing() {
        let mountinfo = """
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
            90 27 0:50 / /var/lib/rkt/pods/run/x/stage1/rootfs rw - overlay overlay rw
            91 90 0:51 / /var/lib/rkt/pods/run/x/stage1/rootfs/opt/stage2/my\\040app/rootfs rw - overlay overlay rw
            92 27 0:52 / /var/lib/rkt/pods/run/xy rw - tmpfs tmpfs rw
            """
        let points = MountTable.mountPoints(mountinfo: mountinfo)
        XCTAssertEqual(points[2], "/var/lib/rkt/pods/run/x/stage1/rootfs/opt/stage2/my app/rootfs")
        XCTAssertEqual(MountTable.mountPoints(under: "/var/lib/rkt/pods/run/x", in: points), [points[2], points[1]],
                       "deepest (last mounted) first, and a sibling sharing the prefix is not included")
    }

    func testSmallFilesAreBounded() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        try SmallFile.writeInteger(42, to: scratch.path + "/status")
        XCTAssertEqual(try SmallFile.readInteger(scratch.path + "/status"), 42)
        XCTAssertNil(try SmallFile.readInteger(scratch.path + "/absent"))
        try scratch.write("garbage", "forty-two")
        XCTAssertThrowsError(try SmallFile.readInteger(scratch.path + "/garbage"))
        try scratch.write("huge", String(repeating: "9", count: 1000))
        XCTAssertThrowsError(try SmallFile.readInteger(scratch.path + "/huge"))
    }

    func testStates() {
        XCTAssertEqual(PodState(directory: .run, locked: true), .running)
        XCTAssertEqual(PodState(directory: .run, locked: false), .exited)
        XCTAssertEqual(PodState(directory: .prepare, locked: false), .abortedPrepare)
        XCTAssertEqual(PodState(directory: .exitedGarbage, locked: false), .exitedGarbage)
        XCTAssertTrue(PodState.exitedGarbage.hasExited)
        XCTAssertFalse(PodState.prepared.hasExited)
    }
}
