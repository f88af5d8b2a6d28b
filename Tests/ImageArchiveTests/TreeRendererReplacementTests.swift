import Foundation
import ImageArchive
import XCTest

/// Replacing what earlier entries or layers left behind never reaches outside the tree: removals go
/// through directory descriptors and unlink symlinks instead of following them.
final class TreeRendererReplacementTests: XCTestCase {
    func testReplacingADirectoryHoldingSymlinksOutsideRemovesOnlyTheLinks() throws {
        let scratch = try Scratch()
        let base = try scratch.tar("base.tar", [
            .directory("rootfs"), .directory("rootfs/d"), .directory("rootfs/d/sub"),
            .symlink("rootfs/d/out", to: scratch.sentinel), .symlink("rootfs/d/sub/keep", to: scratch.sentinel + "/keep"),
            .file("rootfs/d/sub/file", "x"),
        ])
        let top = try scratch.tar("top.tar", [.directory("rootfs"), .file("rootfs/d", "now a file")])
        try TreeRenderer().render(aci: base, into: scratch.root)
        try TreeRenderer().render(aci: top, into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/d", encoding: .utf8), "now a file")
        try scratch.assertNothingEscaped()
    }

    func testHardlinkToASymlinkLinksTheSymlinkNotItsTarget() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("image.tar", [
            .directory("rootfs"), .symlink("rootfs/s", to: scratch.sentinel + "/keep"), .hardlink("rootfs/h", to: "rootfs/s"),
        ])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        var info = stat()
        XCTAssertEqual(lstat(scratch.root + "/h", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFLNK)
        XCTAssertEqual(stat(scratch.sentinel + "/keep", &info), 0)
        XCTAssertEqual(info.st_nlink, 1, "the sentinel file gained no link")
        try scratch.assertNothingEscaped()
    }

    func testSelfHardlinkIsANoOpAndLinkOverItsOwnParentFailsInside() throws {
        let scratch = try Scratch()
        let selfLink = try scratch.tar("self.tar", [
            .directory("rootfs"), .file("rootfs/f", "data"), .hardlink("rootfs/f", to: "rootfs/f"),
        ])
        try TreeRenderer().render(aci: selfLink, into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/f", encoding: .utf8), "data")

        let overParent = try scratch.tar("parent.tar", [
            .directory("rootfs"), .directory("rootfs/a"), .file("rootfs/a/b", "b"), .hardlink("rootfs/a", to: "rootfs/a/b"),
        ])
        XCTAssertThrowsError(try TreeRenderer().render(aci: overParent, into: scratch.path("root2"))) { error in
            XCTAssertTrue("\(error)".contains("\"rootfs/a\""), "\(error)")
        }
        let stray = try FileManager.default.contentsOfDirectory(atPath: scratch.base)
        XCTAssertEqual(Set(stray), ["root", "root2", "sentinel", "self.tar", "parent.tar"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.sentinel), ["keep"])
    }

    func testFifoAndSymlinkAreReplacedByLaterEntries() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("image.tar", [
            .directory("rootfs"), TarMember(path: "rootfs/p", kind: .fifo), .file("rootfs/p", "file"),
            .symlink("rootfs/q", to: scratch.sentinel), .directory("rootfs/q"), .file("rootfs/q/inside", "in"),
        ])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/p", encoding: .utf8), "file")
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/q/inside", encoding: .utf8), "in")
        try scratch.assertNothingEscaped()
    }

    func testReplacingAnAbsurdlyDeepTreeIsRefusedNamingTheEntry() throws {
        let scratch = try Scratch()
        let deep = (1...300).map { "rootfs/d" + String(repeating: "/d", count: $0 - 1) }
        let base = try scratch.tar("base.tar", [.directory("rootfs")] + deep.map { .directory($0) })
        let top = try scratch.tar("top.tar", [.directory("rootfs"), .file("rootfs/d", "flat")])
        try TreeRenderer().render(aci: base, into: scratch.root)
        XCTAssertThrowsError(try TreeRenderer().render(aci: top, into: scratch.root)) { error in
            XCTAssertTrue("\(error)".contains("\"rootfs/d\""), "\(error)")
            XCTAssertTrue("\(error)".contains("deeper than"), "\(error)")
        }
        try scratch.assertNothingEscaped()
    }
}
