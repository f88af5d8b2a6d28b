import AppC
import Pods
import XCTest

/// Resolution against an image's files: contained paths, users and groups, the exec plan.
final class ImageFilesTests: XCTestCase {
    var scratch: Scratch!
    var rootfs: String { scratch.path + "/rootfs" }

    override func setUpWithError() throws {
        scratch = try Scratch()
        try scratch.write("rootfs/bin/busybox", "#!binary", mode: 0o755)
        try scratch.link("rootfs/bin/sh", to: "busybox")
        try scratch.write("rootfs/bin/data.txt", "not executable", mode: 0o644)
        try scratch.write("rootfs/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nbroken line\n")
        try scratch.write("rootfs/etc/group", "root:x:0:\nusers:x:100:\n")
        try scratch.write("rootfs/srv/.keep", "")
        try scratch.link("rootfs/escape", to: "../../../../../etc")
        try scratch.link("rootfs/loop", to: "loop")
    }

    override func tearDown() {
        scratch.cleanUp()
    }

    func testContainedPathNeverLeavesTheRoot() throws {
        XCTAssertEqual(try ContainedPath.resolve("/escape/passwd", in: rootfs), rootfs + "/etc/passwd")
        XCTAssertEqual(try ContainedPath.resolve("/../../bin/sh", in: rootfs), rootfs + "/bin/busybox")
        XCTAssertEqual(try ContainedPath.resolve("/new/dir", in: rootfs), rootfs + "/new/dir")
        XCTAssertEqual(try ContainedPath.resolve("/", in: rootfs), rootfs)
        XCTAssertThrowsError(try ContainedPath.resolve("/loop/x", in: rootfs)) {
            XCTAssertEqual($0 as? ContainedPath.Failure, .tooManyLinks("/loop/x"))
        }
    }

    func testUsersAndGroups() throws {
        let database = try UserDatabase(rootfs: rootfs)
        XCTAssertEqual(database.users.count, 2, "malformed lines are skipped")
        XCTAssertEqual(try database.uid(for: "nobody", rootfs: rootfs), 65534)
        XCTAssertEqual(try database.uid(for: "1234", rootfs: rootfs), 1234)
        XCTAssertEqual(try database.gid(for: "users", rootfs: rootfs), 100)
        XCTAssertEqual(try database.uid(for: "/bin/busybox", rootfs: rootfs), getuid())
        XCTAssertThrowsError(try database.uid(for: "ghost", rootfs: rootfs)) {
            XCTAssertEqual($0 as? UserDatabase.Failure, .unknownUser("ghost"))
        }
        XCTAssertThrowsError(try database.gid(for: "ghosts", rootfs: rootfs)) {
            XCTAssertEqual($0 as? UserDatabase.Failure, .unknownGroup("ghosts"))
        }
    }

    func testExecPlan() throws {
        var app = App(exec: ["sh", "-c", "true"], user: "nobody", group: "users", workingDirectory: "/srv",
                      environment: [EnvironmentVariable(name: "PATH", value: "/usr/bin:/bin")])
        let plan = try AppExecPlan(app: app, appName: "web", rootfs: rootfs)
        XCTAssertEqual(plan.program, "/bin/sh")
        XCTAssertEqual(plan.arguments, ["sh", "-c", "true"])
        XCTAssertEqual(plan.uid, 65534)
        XCTAssertEqual(plan.gid, 100)
        XCTAssertEqual(plan.workingDirectory, "/srv")
        XCTAssertTrue(plan.environment.contains("PATH=/usr/bin:/bin"))
        XCTAssertTrue(plan.environment.contains("AC_APP_NAME=web"))
        XCTAssertTrue(plan.environment.contains("HOME=/nonexistent"))
        XCTAssertTrue(plan.environment.contains("USER=nobody"))

        app.exec = ["/bin/missing"]
        XCTAssertThrowsError(try AppExecPlan(app: app, appName: "web", rootfs: rootfs)) {
            XCTAssertEqual("\($0)", "app web: executable /bin/missing not found in the image (or not executable)")
        }
        app.exec = ["/bin/data.txt"]
        XCTAssertThrowsError(try AppExecPlan(app: app, appName: "web", rootfs: rootfs))
        app.exec = ["/bin/sh"]
        app.user = "ghost"
        XCTAssertThrowsError(try AppExecPlan(app: app, appName: "web", rootfs: rootfs)) {
            XCTAssertTrue("\($0)".contains("user \"ghost\" not found"), "\($0)")
        }
        app.user = "0"
        app.workingDirectory = "/nowhere"
        XCTAssertThrowsError(try AppExecPlan(app: app, appName: "web", rootfs: rootfs)) {
            XCTAssertTrue("\($0)".contains("working directory /nowhere"), "\($0)")
        }
    }
}
