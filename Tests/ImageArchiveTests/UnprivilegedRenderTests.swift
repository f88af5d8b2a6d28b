import Foundation
import XCTest

/// Root bypasses permission checks, so when the suite runs as root the rendering suites are run once
/// more as an unprivileged user (nobody), in a child process of this same test binary.
final class UnprivilegedRenderTests: XCTestCase {
    func testRenderSuitesPassAsNobody() throws {
        guard geteuid() == 0 else { throw XCTSkip("already running unprivileged: the suites ran as this user") }
        guard ProcessInfo.processInfo.environment["IMAGE_ARCHIVE_UNPRIVILEGED_CHILD"] == nil else { return }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("setpriv (util-linux) is not installed")
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        guard Self.othersCanRun(binary) else {
            throw XCTSkip("nobody cannot reach the test binary at \(binary) (a directory on the way is private)")
        }
        for suite in [
            "TreeRendererLayeringTests", "TreeRendererPreservationTests", "TreeRendererHostileTests",
            "TreeRendererReplacementTests",
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", binary, "ImageArchiveTests.\(suite)"]
            var environment = ProcessInfo.processInfo.environment
            environment["IMAGE_ARCHIVE_UNPRIVILEGED_CHILD"] = "1"
            environment["HOME"] = "/tmp"
            environment["TMPDIR"] = "/tmp"
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "\(suite) as nobody:\n\(output.suffix(3000))")
            XCTAssertNotNil(output.range(of: #"Executed [1-9][0-9]* tests?, with ([0-9]+ tests? skipped and )?0 failures"#,
                                         options: .regularExpression), "\(suite) as nobody:\n\(output.suffix(3000))")
        }
    }

    /// Whether a user outside the owner and group can traverse to `path` and read and execute it.
    static func othersCanRun(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o005 == 0o005 else { return false }
        var directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        while true {
            guard stat(directory.path, &info) == 0, info.st_mode & 0o001 != 0 else { return false }
            if directory.path == "/" { return true }
            directory = directory.deletingLastPathComponent()
        }
    }
}
