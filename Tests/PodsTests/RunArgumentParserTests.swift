import Pods
import XCTest

final class RunArgumentParserTests: XCTestCase {
    func testImagesWithAppFlagsAndArguments() throws {
        let apps = try RunArgumentParser.parse([
            "example.com/a", "--exec", "/bin/sh", "--name=first", "--user=nobody", "--group", "users",
            "--working-dir=/tmp", "--environment=A=1=2", "--mount", "volume=data,target=/data",
            "--", "-c", "echo --name", "---",
            "example.com/b", "--", "x",
        ])
        XCTAssertEqual(apps.count, 2)
        XCTAssertEqual(apps[0].image, "example.com/a")
        XCTAssertEqual(apps[0].exec, "/bin/sh")
        XCTAssertEqual(apps[0].arguments, ["-c", "echo --name"])
        XCTAssertEqual(apps[0].name, "first")
        XCTAssertEqual(apps[0].user, "nobody")
        XCTAssertEqual(apps[0].group, "users")
        XCTAssertEqual(apps[0].workingDirectory, "/tmp")
        XCTAssertEqual(apps[0].environmentPairs, [.init(name: "A", value: "1=2")])
        XCTAssertEqual(apps[0].mounts, [.init(volume: "data", target: "/data")])
        XCTAssertEqual(apps[1].image, "example.com/b")
        XCTAssertEqual(apps[1].arguments, ["x"])
        XCTAssertNil(apps[1].exec)
    }

    func testArgumentsRunToTheEndWithoutTerminator() throws {
        let apps = try RunArgumentParser.parse(["img", "--", "a", "--exec", "b"])
        XCTAssertEqual(apps.count, 1)
        XCTAssertEqual(apps[0].arguments, ["a", "--exec", "b"])
    }

    func testMistakesNameTheFlag() {
        XCTAssertThrowsError(try RunArgumentParser.parse(["--exec=/bin/sh", "img"])) {
            XCTAssertTrue("\($0)".contains("--exec must follow an image"), "\($0)")
        }
        XCTAssertThrowsError(try RunArgumentParser.parse(["img", "--bogus"])) {
            XCTAssertTrue("\($0)".contains("--bogus"), "\($0)")
        }
        XCTAssertThrowsError(try RunArgumentParser.parse(["img", "--exec"])) {
            XCTAssertTrue("\($0)".contains("--exec needs a value"), "\($0)")
        }
        XCTAssertThrowsError(try RunArgumentParser.parse(["img", "--environment=NOVALUE"])) {
            XCTAssertTrue("\($0)".contains("NAME=VALUE"), "\($0)")
        }
        XCTAssertThrowsError(try RunArgumentParser.parse(["img", "--mount=volume=x"])) {
            XCTAssertTrue("\($0)".contains("target="), "\($0)")
        }
        XCTAssertThrowsError(try RunArgumentParser.parse(["--", "x"])) {
            XCTAssertTrue("\($0)".contains("must follow an image"), "\($0)")
        }
    }
}
