import Foundation
import ImageArchive
import XCTest

/// Rendering image dependencies one after the other into one root: later layers win, and a file can
/// replace a directory (with everything in it) or the other way round.
final class TreeRendererLayeringTests: XCTestCase {
    func testLaterLayersReplaceFilesDirectoriesAndLinks() throws {
        let scratch = try Scratch()
        let base = try scratch.tar("base.tar", [
            .file("manifest", "{}"),
            .directory("rootfs"),
            .directory("rootfs/a"), .directory("rootfs/a/deep"), .file("rootfs/a/deep/f", "old"),
            .symlink("rootfs/a/deep/l", to: "/etc"),
            .file("rootfs/b", "file b"),
            .file("rootfs/c", "old c", mode: 0o600),
            .symlink("rootfs/d", to: "c"),
            .directory("rootfs/keep"), .file("rootfs/keep/x", "kept"),
            TarMember(path: "rootfs/fifo", kind: .fifo),
        ])
        let app = try scratch.tar("app.tar", [
            .file("manifest", "{}"),
            .directory("rootfs"),
            .file("rootfs/a", "a is a file now"),
            .directory("rootfs/b"), .file("rootfs/b/inside", "b is a dir now"),
            .file("rootfs/c", "new c", mode: 0o644),
            .file("rootfs/d", "d is a file now"),
            .directory("rootfs/keep", mode: 0o750), .file("rootfs/keep/y", "added"),
            .symlink("rootfs/fifo", to: "keep/y"),
        ])
        try TreeRenderer().render(aci: base, into: scratch.root)
        try TreeRenderer().render(aci: app, into: scratch.root)

        let root = scratch.root
        XCTAssertEqual(try String(contentsOfFile: root + "/a", encoding: .utf8), "a is a file now")
        XCTAssertEqual(try String(contentsOfFile: root + "/b/inside", encoding: .utf8), "b is a dir now")
        XCTAssertEqual(try String(contentsOfFile: root + "/c", encoding: .utf8), "new c")
        XCTAssertEqual(try String(contentsOfFile: root + "/d", encoding: .utf8), "d is a file now")
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/d"))
        XCTAssertEqual(try String(contentsOfFile: root + "/keep/x", encoding: .utf8), "kept")
        XCTAssertEqual(try String(contentsOfFile: root + "/keep/y", encoding: .utf8), "added")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/fifo"), "keep/y")
        var info = stat()
        XCTAssertEqual(lstat(root + "/c", &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o644)
        XCTAssertEqual(lstat(root + "/keep", &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o750)
        try scratch.assertNothingEscaped()
    }

    func testRenderingTheSameImageTwiceIsIdempotent() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("image.tar", [
            .directory("rootfs"), .directory("rootfs/ro", mode: 0o555), .file("rootfs/ro/f", "f", mode: 0o444),
            .file("rootfs/busybox", "bb"), .hardlink("rootfs/sh", to: "rootfs/busybox"),
        ])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        try TreeRenderer().render(aci: aci, into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/ro/f", encoding: .utf8), "f")
        var busybox = stat(), sh = stat()
        XCTAssertEqual(lstat(scratch.root + "/busybox", &busybox), 0)
        XCTAssertEqual(lstat(scratch.root + "/sh", &sh), 0)
        XCTAssertEqual(busybox.st_ino, sh.st_ino)
        XCTAssertEqual(lstat(scratch.root + "/ro", &busybox), 0)
        XCTAssertEqual(busybox.st_mode & 0o7777, 0o555)
    }

    /// A read-only directory of an earlier layer still takes a later layer's files, and keeps its mode.
    func testLaterLayerWritesIntoAnEarlierLayersReadOnlyDirectory() throws {
        let scratch = try Scratch()
        let base = try scratch.tar("base.tar", [
            .directory("rootfs"), .directory("rootfs/usr", mode: 0o555), .directory("rootfs/usr/lib", mode: 0o500),
            .file("rootfs/usr/lib/old", "old", mode: 0o444),
        ])
        let top = try scratch.tar("top.tar", [.file("rootfs/usr/lib/new", "new"), .file("rootfs/usr/lib/old", "replaced")])
        try TreeRenderer().render(aci: base, into: scratch.root)
        try TreeRenderer().render(aci: top, into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/usr/lib/new", encoding: .utf8), "new")
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/usr/lib/old", encoding: .utf8), "replaced")
        var info = stat()
        XCTAssertEqual(lstat(scratch.root + "/usr", &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o555)
        XCTAssertEqual(lstat(scratch.root + "/usr/lib", &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o500)
    }
}
