import ArgumentParser
@testable import Stage0
import XCTest

/// `--help` / `-h` before the first image of `rkt run` and `rkt prepare` print the command's help (exit 0), as
/// `rkt help run` does.
final class RunHelpTests: RktTestCase {
    func testHelpBeforeTheFirstImageIsTheCommandsHelp() throws {
        for command in ["run", "prepare"] {
            for arguments in [[command, "--help"], [command, "-h"], [command, "--net=none", "--help", "img"], [command, "-h", "img"]] {
                let result = try rkt.run(arguments, globalsFirst: true)
                XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
                XCTAssertTrue(result.stdout.contains("USAGE: rkt \(command)"), "\(arguments): \(result.stdout)")
                XCTAssertEqual(result.stderr, "", "\(arguments)")
            }
        }
    }

    func testParsedHelpRequestNamesTheCommand() throws {
        XCTAssertThrowsError(try Rkt.parseAsRoot(["run", "-h"])) { error in
            XCTAssertEqual(Rkt.exitCode(for: error), .success)
            XCTAssertTrue(Rkt.fullMessage(for: error).contains("Run image(s) in a pod."), Rkt.fullMessage(for: error))
        }
    }
}
