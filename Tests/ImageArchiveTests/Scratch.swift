import Foundation
import ImageTestSupport
import XCTest

/// A fresh temporary directory per test: `root` is where trees are rendered, `sentinel` sits beside it
/// and must never change, so an escape from the tree shows up.
final class Scratch {
    let base: String
    var root: String { base + "/root" }
    var sentinel: String { base + "/sentinel" }

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/image-archive-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TarBuilderError("mkdtemp failed") }
        base = String(cString: made)
        try FileManager.default.createDirectory(atPath: sentinel, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: sentinel + "/keep"))
    }

    deinit {
        // Make read-only directories writable again so the scratch area can be removed.
        _ = try? ACIFixture.run("/bin/chmod", ["-R", "u+rwx", base])
        try? FileManager.default.removeItem(atPath: base)
    }

    func path(_ name: String) -> String { base + "/" + name }

    /// Writes `members` as a tar named `name` in the scratch dir and returns its path.
    func tar(_ name: String, _ members: [TarMember]) throws -> String {
        let path = self.path(name)
        try TarBuilder.write(members, to: path)
        return path
    }

    /// Asserts the sentinel still holds exactly its one file, and the scratch dir holds nothing new
    /// besides the tars and the root.
    func assertNothingEscaped(file: StaticString = #filePath, line: UInt = #line) throws {
        let sentinelNames = try FileManager.default.contentsOfDirectory(atPath: sentinel)
        XCTAssertEqual(sentinelNames, ["keep"], "sentinel changed", file: file, line: line)
        XCTAssertEqual(try String(contentsOfFile: sentinel + "/keep", encoding: .utf8), "keep", file: file, line: line)
        let stray = try FileManager.default.contentsOfDirectory(atPath: base)
            .filter { $0 != "root" && $0 != "sentinel" && !$0.hasSuffix(".tar") }
        XCTAssertEqual(stray, [], "files appeared beside the tree", file: file, line: line)
    }
}

extension Scratch {
    /// Runs a shell command line in the scratch directory.
    @discardableResult
    func shell(_ command: String) throws -> String {
        try ACIFixture.run("/bin/sh", ["-c", "cd '\(base)' && \(command)"])
    }
}
