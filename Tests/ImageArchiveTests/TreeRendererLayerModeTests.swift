import Foundation
import ImageArchive
import XCTest

/// OCI / docker layers applied in order: whiteouts, opaque directories, merged-/usr symlinks resolved
/// inside the root, and the hostile-archive rules of ACIs.
final class TreeRendererLayerModeTests: XCTestCase {
    func testWhiteoutsAndOpaqueDirectoriesApplyToLowerLayersOnly() throws {
        let scratch = try Scratch()
        let base = try scratch.tar("base.tar", [
            .directory("etc"), .file("etc/passwd", "root"), .file("etc/gone", "x"),
            .directory("var"), .directory("var/cache"), .file("var/cache/a", "a"), .directory("var/cache/sub"),
            .file("var/cache/sub/b", "b"),
            .directory("opt"), .directory("opt/tool"), .file("opt/tool/bin", "tool"),
            .file("keep", "kept"),
        ])
        let upper = try scratch.tar("upper.tar", [
            .file("etc/.wh.gone"),
            .file(".wh.opt"),
            .file("var/cache/new", "same layer, before the opaque marker"),
            .file("var/cache/.wh..wh..opq"),
            .file("var/cache/after", "same layer, after"),
            .file("fresh", "created here"),
            .file(".wh.fresh"),            // same layer: does not remove it
            .file(".wh..wh.plnk"),         // aufs metadata: skipped
            .file(".wh.does-not-exist"),
        ])
        try TreeRenderer().render(layer: base, into: scratch.root)
        let summary = try TreeRenderer().render(layer: upper, into: scratch.root)
        let root = scratch.root
        let names = { (path: String) in try FileManager.default.contentsOfDirectory(atPath: root + path).sorted() }
        XCTAssertEqual(try names("/etc"), ["passwd"])
        XCTAssertEqual(try names("/var/cache"), ["after", "new"])
        XCTAssertEqual(try names("/"), ["etc", "fresh", "keep", "var"])
        XCTAssertEqual(summary.entriesWritten, 3)
        try scratch.assertNothingEscaped()
    }

    func testMergedUsrSymlinksResolveInsideTheRoot() throws {
        let scratch = try Scratch()
        let base = try scratch.tar("base.tar", [
            .directory("usr"), .directory("usr/bin"), .file("usr/bin/sh", "shell"),
            .symlink("bin", to: "usr/bin"),
            .symlink("lib", to: "/usr/lib"),          // absolute: resolved from the root, not the host
            .symlink("up", to: "../../../../usr"),     // climbing: clamped at the root
            .directory("usr/lib"),
        ])
        let upper = try scratch.tar("upper.tar", [
            .directory("bin"),                         // over the link to a directory: the link stays
            .file("bin/tool", "tool", mode: 0o755),
            .directory("lib/x86_64-linux-gnu", mode: 0o750), .file("lib/x86_64-linux-gnu/libc.so", "libc"),
            .file("up/bin/other", "other"),
            .hardlink("bin/tool2", to: "bin/tool"),
            .file("bin/.wh.sh"),
        ])
        try TreeRenderer().render(layer: base, into: scratch.root)
        try TreeRenderer().render(layer: upper, into: scratch.root)
        let root = scratch.root
        XCTAssertEqual(try String(contentsOfFile: root + "/usr/bin/tool", encoding: .utf8), "tool")
        XCTAssertEqual(try String(contentsOfFile: root + "/usr/bin/tool2", encoding: .utf8), "tool")
        XCTAssertEqual(try String(contentsOfFile: root + "/usr/lib/x86_64-linux-gnu/libc.so", encoding: .utf8), "libc")
        XCTAssertEqual(try String(contentsOfFile: root + "/usr/bin/other", encoding: .utf8), "other")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/usr/bin/sh"))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/bin"), "usr/bin")
        var info = stat()
        XCTAssertEqual(lstat(root + "/usr/lib/x86_64-linux-gnu", &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o750)
        try scratch.assertNothingEscaped()
    }

    func testSymlinksPointingOutsideStayInsideAndLoopsFail() throws {
        let scratch = try Scratch()
        let sentinel = scratch.sentinel
        let base = try scratch.tar("base.tar", [
            .symlink("escape", to: sentinel),
            .symlink("dotdot", to: "../sentinel"),
            .symlink("loop1", to: "loop2"), .symlink("loop2", to: "loop1"),
            .file("plain", "x"),
        ])
        try TreeRenderer().render(layer: base, into: scratch.root)
        // Through an absolute link to the host path: lands at ROOT + that path.
        try TreeRenderer().render(layer: try scratch.tar("a.tar", [.file("escape/keep", "overwritten?")]), into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + sentinel + "/keep", encoding: .utf8), "overwritten?")
        try TreeRenderer().render(layer: try scratch.tar("b.tar", [.file("dotdot/new", "inside")]), into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/sentinel/new", encoding: .utf8), "inside")
        XCTAssertThrowsError(try TreeRenderer().render(layer: try scratch.tar("c.tar", [.file("loop1/x")]), into: scratch.root)) { error in
            XCTAssertTrue("\(error)".contains("symlinks"), "\(error)")
        }
        XCTAssertThrowsError(try TreeRenderer().render(layer: try scratch.tar("d.tar", [.file("plain/x")]), into: scratch.root)) { error in
            XCTAssertTrue("\(error)".contains("\"plain\" is not a directory"), "\(error)")
        }
        // Whiteouts through the outside link also stay inside.
        try TreeRenderer().render(layer: try scratch.tar("e.tar", [.file("escape/.wh.keep")]), into: scratch.root)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.root + sentinel + "/keep"))
        try scratch.assertNothingEscaped()
    }

    func testHostileLayerEntriesAreRefused() throws {
        let scratch = try Scratch()
        for (index, member) in [
            TarMember.file("../outside", "x"),
            TarMember(path: "../dev/null", kind: .characterDevice),
            TarMember.hardlink("h", to: "../../etc/passwd"),
        ].enumerated() {
            let tar = try scratch.tar("hostile\(index).tar", [member])
            XCTAssertThrowsError(try TreeRenderer().render(layer: tar, into: scratch.root), member.path)
        }
        // A device node is left out, never created (testDeviceNodesAreSkipped).
        let device = try scratch.tar("device.tar", [TarMember(path: "dev/null", kind: .characterDevice)])
        XCTAssertEqual(try TreeRenderer().render(layer: device, into: scratch.root).skippedDeviceNodes, ["dev/null"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.root + "/dev/null"))
        try scratch.assertNothingEscaped()
    }

    func testGzipAndZstdLayersAreRecognisedByContent() throws {
        let scratch = try Scratch()
        _ = try scratch.tar("plain.tar", [.directory("d"), .file("d/f", "zipped"), .file("d/g", "zstd")])
        try scratch.shell("gzip -c plain.tar > zipped.tar.gz.tar && zstd -q -c plain.tar > zstd.tar.zst.tar")
        try TreeRenderer().render(layer: scratch.path("zipped.tar.gz.tar"), into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/d/f", encoding: .utf8), "zipped")
        try FileManager.default.removeItem(atPath: scratch.root + "/d")
        try TreeRenderer().render(layer: scratch.path("zstd.tar.zst.tar"), into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/d/g", encoding: .utf8), "zstd")
    }
}
