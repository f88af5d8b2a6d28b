import CXattr
import Foundation
import ImageArchive
import XCTest

/// What a well-formed image asks for ends up on disk: modes, owners, times, links, xattrs.
final class TreeRendererPreservationTests: XCTestCase {
    private func lstatOf(_ path: String) throws -> stat {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw TarBuilderError("lstat \(path): errno \(errno)") }
        return info
    }

    func testModesIncludingSpecialBitsArePreserved() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("image.tar", [
            .file("manifest", "{}"),
            .directory("rootfs", mode: 0o755),
            .directory("rootfs/bin", mode: 0o755),
            .file("rootfs/bin/su", "su", mode: 0o4755),
            .file("rootfs/bin/wall", "wall", mode: 0o2755),
            .file("rootfs/secret", "s", mode: 0o600),
            .directory("rootfs/tmp", mode: 0o1777),
            .directory("rootfs/ro", mode: 0o555),
            .file("rootfs/ro/inside", "i", mode: 0o444),
            TarMember(path: "rootfs/pipe", kind: .fifo, mode: 0o640),
        ])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        let expected: [(String, mode_t)] = [
            ("bin", 0o040755), ("bin/su", 0o104755), ("bin/wall", 0o102755), ("secret", 0o100600),
            ("tmp", 0o041777), ("ro", 0o040555), ("ro/inside", 0o100444), ("pipe", 0o010640),
        ]
        for (path, mode) in expected {
            XCTAssertEqual(String(try lstatOf(scratch.root + "/" + path).st_mode, radix: 8), String(mode, radix: 8), path)
        }
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/ro/inside", encoding: .utf8), "i")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.root + "/manifest"))
    }

    func testModificationTimesAreSetOnFilesDirectoriesAndSymlinks() throws {
        let scratch = try Scratch()
        var directory = TarMember.directory("rootfs/d")
        directory.mtime = 1_000_000_000
        var file = TarMember.file("rootfs/d/f", "x")
        file.mtime = 1_100_000_000
        var link = TarMember.symlink("rootfs/d/l", to: "f")
        link.mtime = 1_200_000_000
        let aci = try scratch.tar("image.tar", [.directory("rootfs"), directory, file, link])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        XCTAssertEqual(try lstatOf(scratch.root + "/d").st_mtim.tv_sec, 1_000_000_000)
        XCTAssertEqual(try lstatOf(scratch.root + "/d/f").st_mtim.tv_sec, 1_100_000_000)
        XCTAssertEqual(try lstatOf(scratch.root + "/d/l").st_mtim.tv_sec, 1_200_000_000)
    }

    func testSymlinksAreStoredVerbatimAndHardlinksShareTheInode() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("image.tar", [
            .directory("rootfs"),
            .file("rootfs/busybox", "bb", mode: 0o755),
            .hardlink("rootfs/sh", to: "rootfs/busybox"),
            .hardlink("./rootfs/ls", to: "./rootfs/busybox"),
            .symlink("rootfs/abs", to: "/etc/passwd"),
            .symlink("rootfs/up", to: "../../../outside"),
            .symlink("rootfs/dangling", to: "nowhere"),
            .hardlink("rootfs/link-to-symlink", to: "rootfs/abs"),
        ])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        let busybox = try lstatOf(scratch.root + "/busybox")
        for name in ["sh", "ls"] {
            let info = try lstatOf(scratch.root + "/" + name)
            XCTAssertEqual(info.st_ino, busybox.st_ino, name)
        }
        XCTAssertEqual(busybox.st_nlink, 3)
        let files = FileManager.default
        XCTAssertEqual(try files.destinationOfSymbolicLink(atPath: scratch.root + "/abs"), "/etc/passwd")
        XCTAssertEqual(try files.destinationOfSymbolicLink(atPath: scratch.root + "/up"), "../../../outside")
        XCTAssertEqual(try files.destinationOfSymbolicLink(atPath: scratch.root + "/dangling"), "nowhere")
        XCTAssertEqual(try files.destinationOfSymbolicLink(atPath: scratch.root + "/link-to-symlink"), "/etc/passwd")
        try scratch.assertNothingEscaped()
    }

    func testExtendedAttributesArePreserved() throws {
        let scratch = try Scratch()
        let probe = scratch.sentinel + "/keep"
        if lsetxattr(probe, "user.probe", "1", 1, 0) != 0 {
            throw XCTSkip("the scratch filesystem does not take user xattrs (errno \(errno))")
        }
        lremovexattr(probe, "user.probe")
        var file = TarMember.file("rootfs/f", "x")
        file.xattrs = [("user.rkt.test", Array("value".utf8)), ("user.empty", [])]
        var directory = TarMember.directory("rootfs/d")
        directory.xattrs = [("user.rkt.dir", [1, 2, 3])]
        let aci = try scratch.tar("image.tar", [.directory("rootfs"), file, directory])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        XCTAssertEqual(Self.xattr(scratch.root + "/f", "user.rkt.test"), Array("value".utf8))
        XCTAssertEqual(Self.xattr(scratch.root + "/f", "user.empty"), [])
        XCTAssertEqual(Self.xattr(scratch.root + "/d", "user.rkt.dir"), [1, 2, 3])
    }

    func testOwnershipIsPreservedWhenRunningAsRoot() throws {
        guard geteuid() == 0 else { throw XCTSkip("chown to arbitrary owners needs root; not running as root") }
        let scratch = try Scratch()
        var file = TarMember.file("rootfs/owned", "x", mode: 0o4750)
        file.uid = 1234
        file.gid = 5678
        var directory = TarMember.directory("rootfs/dir")
        directory.uid = 42
        directory.gid = 43
        var link = TarMember.symlink("rootfs/link", to: "owned")
        link.uid = 7
        link.gid = 8
        let aci = try scratch.tar("image.tar", [.directory("rootfs"), file, directory, link])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        let owned = try lstatOf(scratch.root + "/owned")
        XCTAssertEqual([owned.st_uid, owned.st_gid], [1234, 5678])
        XCTAssertEqual(owned.st_mode & 0o7777, 0o4750, "setuid survives the chown")
        let dir = try lstatOf(scratch.root + "/dir")
        XCTAssertEqual([dir.st_uid, dir.st_gid], [42, 43])
        let symlink = try lstatOf(scratch.root + "/link")
        XCTAssertEqual([symlink.st_uid, symlink.st_gid], [7, 8])
    }

    func testOverlayXattrsAreNeverSetButOtherTrustedOnesAre() throws {
        guard geteuid() == 0 else { throw XCTSkip("trusted.* xattrs need CAP_SYS_ADMIN; not running as root") }
        let scratch = try Scratch()
        var directory = TarMember.directory("rootfs/upper")
        directory.xattrs = [("trusted.overlay.opaque", Array("y".utf8)), ("trusted.rkt.test", Array("t".utf8))]
        let aci = try scratch.tar("image.tar", [.directory("rootfs"), directory])
        try TreeRenderer().render(aci: aci, into: scratch.root)
        XCTAssertNil(Self.xattr(scratch.root + "/upper", "trusted.overlay.opaque"))
        XCTAssertEqual(Self.xattr(scratch.root + "/upper", "trusted.rkt.test"), Array("t".utf8))
    }

    /// GNU tar's sparse members keep their holes: 64 MiB of size, a few KiB on disk.
    func testSparseFilesStaySparse() throws {
        let scratch = try Scratch()
        try scratch.shell("""
            mkdir -p src/rootfs && cd src && printf head > rootfs/sparse && truncate -s 64M rootfs/sparse \
            && printf tail >> rootfs/sparse && tar --sparse --format=pax -cf ../sparse.tar rootfs
            """)
        try TreeRenderer().render(aci: scratch.path("sparse.tar"), into: scratch.root)
        var info = stat()
        XCTAssertEqual(lstat(scratch.root + "/sparse", &info), 0)
        XCTAssertEqual(info.st_size, (64 << 20) + 4)
        XCTAssertLessThan(Int(info.st_blocks) * 512, 1 << 20, "holes were filled")
        XCTAssertEqual(try scratch.shell("cmp src/rootfs/sparse root/sparse && echo same"), "same\n")
        try FileManager.default.removeItem(atPath: scratch.path("src"))
    }

    func testIncludeFilterSeesRootfsRelativePathsAndParentsAreCreated() throws {
        let scratch = try Scratch()
        let aci = try scratch.tar("image.tar", [
            .directory("rootfs"), .directory("rootfs/bin"), .file("rootfs/bin/sh", "sh", mode: 0o755),
            .file("rootfs/bin/ls", "ls"), .directory("rootfs/etc"), .file("rootfs/etc/hosts", "h"),
        ])
        var seen: [String] = []
        let summary = try TreeRenderer().render(aci: aci, into: scratch.root, include: { path in
            seen.append(path)
            return path == "bin/sh" || path == "etc/hosts"
        })
        XCTAssertEqual(seen, ["bin", "bin/sh", "bin/ls", "etc", "etc/hosts"])
        XCTAssertEqual(summary.entriesWritten, 3, "rootfs itself plus the two included files")
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.root + "/bin/sh"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.root + "/bin/ls"))
        XCTAssertEqual(try lstatOf(scratch.root + "/etc").st_mode & 0o7777, 0o755)
    }

    static func xattr(_ path: String, _ name: String) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { lgetxattr(path, name, $0.baseAddress, $0.count) }
        return count < 0 ? nil : Array(buffer[0..<count])
    }
}
