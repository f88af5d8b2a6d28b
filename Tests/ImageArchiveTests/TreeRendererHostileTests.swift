import Foundation
import ImageArchive
import XCTest

/// Every hostile archive must fail with an error that names the offending entry, and nothing may
/// appear outside the render root (the sentinel directory beside it stays untouched).
final class TreeRendererHostileTests: XCTestCase {
    private func assertRefused(
        _ members: [TarMember], naming entry: String, limits: RenderLimits = .default,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("hostile.tar", [.file("manifest", "{}"), .directory("rootfs")] + members)
        XCTAssertThrowsError(try TreeRenderer().render(aci: aci, into: scratch.root, limits: limits),
                             file: file, line: line) { error in
            let text = "\(error)"
            // Names may be abbreviated (hostile paths can be huge) or carry a trailing "/" (directories).
            XCTAssertTrue(text.contains("\"\(entry)"), "error does not name \(entry): \(text)", file: file, line: line)
        }
        try scratch.assertNothingEscaped(file: file, line: line)
    }

    func testDotDotComponentsAreRefused() throws {
        try assertRefused([.file("rootfs/../escape", "x")], naming: "rootfs/../escape")
        try assertRefused([.file("rootfs/a/../../escape", "x")], naming: "rootfs/a/../../escape")
        try assertRefused([.file("rootfs/./..", "x")], naming: "rootfs/./..")
        try assertRefused([.directory("rootfs/../../sentinel/new")], naming: "rootfs/../../sentinel/new")
    }

    func testAbsolutePathsAreRefused() throws {
        let scratch = try Scratch()
        try assertRefused([.file(scratch.sentinel + "/abs", "x")], naming: scratch.sentinel + "/abs")
        try assertRefused([.file("/rootfs/etc/passwd", "x")], naming: "/rootfs/etc/passwd")
    }

    func testNothingIsWrittenThroughASymlinkedDirectory() throws {
        let scratch = try Scratch()
        for target in [scratch.sentinel, "../../sentinel", "/"] {
            try assertRefused([.symlink("rootfs/link", to: target), .file("rootfs/link/pwned", "x")],
                              naming: "rootfs/link/pwned")
            try assertRefused([.symlink("rootfs/link", to: target), .directory("rootfs/link/sub")],
                              naming: "rootfs/link/sub")
            try assertRefused([.symlink("rootfs/link", to: target), .symlink("rootfs/link/s", to: "/x")],
                              naming: "rootfs/link/s")
            try assertRefused([.directory("rootfs/d"), .symlink("rootfs/d/link", to: target),
                               .file("rootfs/d/link/deeper/pwned", "x")],
                              naming: "rootfs/d/link/deeper/pwned")
        }
    }

    func testRootfsItselfMustBeADirectory() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("hostile.tar", [.symlink("rootfs", to: scratch.sentinel), .file("rootfs/pwned", "x")])
        XCTAssertThrowsError(try TreeRenderer().render(aci: aci, into: scratch.root)) { error in
            XCTAssertTrue("\(error)".contains("\"rootfs\""), "\(error)")
        }
        try scratch.assertNothingEscaped()
    }

    func testHardlinksMustStayInsideTheTree() throws {
        let scratch = try Scratch()
        try assertRefused([.hardlink("rootfs/h", to: scratch.sentinel + "/keep")], naming: "rootfs/h")
        try assertRefused([.hardlink("rootfs/h", to: "rootfs/../../sentinel/keep")], naming: "rootfs/h")
        try assertRefused([.hardlink("rootfs/h", to: "manifest")], naming: "rootfs/h")
        try assertRefused([.hardlink("rootfs/h", to: "rootfs/absent")], naming: "rootfs/h")
        try assertRefused([.symlink("rootfs/l", to: scratch.sentinel), .hardlink("rootfs/h", to: "rootfs/l/keep")],
                          naming: "rootfs/h")
        try assertRefused([.directory("rootfs/dir"), .hardlink("rootfs/h", to: "rootfs/dir")], naming: "rootfs/h")
    }

    /// Device nodes (debootstrap trees and docker images carry /dev) are left out, as docker, podman and
    /// umoci do: never created, recorded in the summary, nothing else changed.
    func testDeviceNodesAreSkipped() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("devices.tar", [
            .file("manifest", "{}"), .directory("rootfs"), .directory("rootfs/dev"),
            TarMember(path: "rootfs/dev/console", kind: .characterDevice),
            TarMember(path: "rootfs/dev/sda", kind: .blockDevice),
            .hardlink("rootfs/dev/console-link", to: "rootfs/dev/console"),
            TarMember(path: "rootfs/dev/fifo", kind: .fifo),
            .file("rootfs/etc-file", "kept"),
        ])
        let summary = try TreeRenderer().render(aci: aci, into: scratch.root)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.root + "/dev").sorted(), ["fifo"])
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/etc-file", encoding: .utf8), "kept")
        XCTAssertEqual(summary.deviceNodesSkipped, 3)
        XCTAssertEqual(summary.skippedDeviceNodes, ["rootfs/dev/console", "rootfs/dev/sda", "rootfs/dev/console-link"])
        XCTAssertEqual(summary.entriesWritten, 4)
        try scratch.assertNothingEscaped()
    }

    /// A layer's device entry leaves what a lower layer put at its path alone; hostile device paths are
    /// still refused by their path.
    func testSkippedDeviceNodeChangesNothingInLowerLayers() throws {
        let scratch = try Scratch()
        let base = try scratch.tar("base.tar", [.directory("dev"), .file("dev/console", "lower")])
        let upper = try scratch.tar("upper.tar", [TarMember(path: "dev/console", kind: .characterDevice)])
        try TreeRenderer().render(layer: base, into: scratch.root)
        let summary = try TreeRenderer().render(layer: upper, into: scratch.root)
        XCTAssertEqual(summary.skippedDeviceNodes, ["dev/console"])
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/dev/console", encoding: .utf8), "lower")
        try assertRefused([TarMember(path: "rootfs/../dev/null", kind: .characterDevice)], naming: "rootfs/../dev/null")
        try assertRefused([TarMember(path: scratch.sentinel + "/null", kind: .blockDevice)], naming: scratch.sentinel + "/null")
    }

    func testAbsurdPathLengthsAreRefused() throws {
        let long = "rootfs/" + String(repeating: "a/", count: 2100) + "f"
        try assertRefused([.file(long, "x")], naming: String(long.prefix(200)))
        let longName = "rootfs/" + String(repeating: "n", count: 300)
        try assertRefused([.file(longName, "x")], naming: String(longName.prefix(200)))
        let longTarget = String(repeating: "t/", count: 2100)
        try assertRefused([.symlink("rootfs/s", to: longTarget)], naming: "rootfs/s")
    }

    func testEntryCountFileSizeAndTotalLimitsAreEnforced() throws {
        var limits = RenderLimits()
        limits.maxEntries = 5
        try assertRefused((1...10).map { .file("rootfs/f\($0)", "x") }, naming: "rootfs/f4", limits: limits)

        limits = RenderLimits()
        limits.maxFileSize = 1000
        try assertRefused([.file("rootfs/small", "x"), .file("rootfs/big", String(repeating: "b", count: 1001))],
                          naming: "rootfs/big", limits: limits)

        limits = RenderLimits()
        limits.maxTotalBytes = 2500
        try assertRefused((1...3).map { .file("rootfs/f\($0)", String(repeating: "c", count: 1000)) },
                          naming: "rootfs/f3", limits: limits)
    }

    func testOversizedExtendedAttributesAreRefused() throws {
        var member = TarMember.file("rootfs/fat", "x")
        member.xattrs = [("user.big", [UInt8](repeating: 7, count: 300 << 10))]
        try assertRefused([member], naming: "rootfs/fat")
    }

    /// pax headers over libarchive's own 1 MiB bound for special headers never reach the renderer;
    /// the error names the last good entry.
    func testOversizedPaxHeaderIsRefused() throws {
        var member = TarMember.file("rootfs/huge-header", "x")
        member.xattrs = [("user.huge", [UInt8](repeating: 9, count: 2 << 20))]
        try assertRefused([.file("rootfs/before", "ok"), member], naming: "rootfs/before")
    }

    func testLaterLayerCannotWriteThroughAnEarlierLayersSymlink() throws {
        let scratch = try Scratch()
        let base = try scratch.tar("base.tar", [.directory("rootfs"), .symlink("rootfs/lib", to: scratch.sentinel)])
        let top = try scratch.tar("top.tar", [.directory("rootfs"), .file("rootfs/lib/pwned", "x")])
        try TreeRenderer().render(aci: base, into: scratch.root)
        XCTAssertThrowsError(try TreeRenderer().render(aci: top, into: scratch.root)) { error in
            XCTAssertTrue("\(error)".contains("\"rootfs/lib/pwned\""), "\(error)")
            XCTAssertTrue("\(error)".contains("symlink"), "\(error)")
        }
        try scratch.assertNothingEscaped()
    }

    /// A file entry at the path of a symlink replaces the symlink; it is not written through it.
    func testFileOverASymlinkReplacesTheLink() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("image.tar", [
            .directory("rootfs"), .symlink("rootfs/evil", to: scratch.sentinel + "/keep"), .file("rootfs/evil", "mine"),
        ])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/evil", encoding: .utf8), "mine")
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: scratch.root + "/evil"))
        try scratch.assertNothingEscaped()
    }

    func testUnusableTargetIsNamed() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("image.tar", [.directory("rootfs")])
        XCTAssertThrowsError(try TreeRenderer().render(aci: aci, into: scratch.sentinel + "/keep")) { error in
            XCTAssertEqual(error as? ImageArchiveError, .targetUnusable(
                path: scratch.sentinel + "/keep", reason: "open \(scratch.sentinel)/keep: Not a directory"))
        }
        try scratch.assertNothingEscaped()
    }

    func testNonUTF8PathIsRefused() throws {
        var member = TarMember.file("placeholder", "x")
        member.rawPath = Array("rootfs/bad-".utf8) + [0xFF, 0xFE]
        try assertRefused([member], naming: "rootfs/bad-\u{FFFD}\u{FFFD}")
    }
}
