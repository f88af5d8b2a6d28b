import Foundation
import ImageArchive
import XCTest

final class ACIReaderTests: XCTestCase {
    func testManifestIsReadFromEitherSpelling() throws {
        let scratch = try Scratch()
        let manifest = #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app"}"#
        for name in ["manifest", "./manifest"] {
            let aci = try scratch.tar("image.tar", [.directory("rootfs"), .file(name, manifest), .file("rootfs/x", "x")])
            XCTAssertEqual(try ACIReader(path: aci).manifestData(), Data(manifest.utf8), name)
        }
    }

    func testMissingTooBigDuplicatedOrNonRegularManifestsAreRefused() throws {
        let scratch = try Scratch()
        let cases: [(String, [TarMember], String)] = [
            ("missing", [.directory("rootfs"), .file("rootfs/manifest", "{}")], "no manifest"),
            ("big", [.file("manifest", String(repeating: " ", count: 2000))], "over the limit of 1024"),
            ("twice", [.file("manifest", "{}"), .file("./manifest", "{}")], "more than once"),
            ("dir", [.directory("manifest")], "not a regular file"),
            ("link", [.symlink("manifest", to: "/etc/passwd")], "not a regular file"),
        ]
        for (name, members, reason) in cases {
            let aci = try scratch.tar("\(name).tar", members)
            XCTAssertThrowsError(try ACIReader(path: aci).manifestData(limit: 1024), name) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(name): \(error)")
                XCTAssertTrue("\(error)".contains(aci), "\(name): \(error)")
            }
        }
    }

    func testEntriesListEveryMemberWithItsKind() throws {
        let scratch = try Scratch()
        var file = TarMember.file("rootfs/bin/sh", "#!", mode: 0o755)
        file.uid = 10
        let aci = try scratch.tar("image.tar", [
            .file("manifest", "{}"), .directory("rootfs"), file,
            .symlink("rootfs/bin/ash", to: "sh"), .hardlink("rootfs/bin/dash", to: "rootfs/bin/sh"),
            TarMember(path: "rootfs/dev/null", kind: .characterDevice),
        ])
        let entries = try ACIReader(path: aci).entries()
        XCTAssertEqual(entries.map(\.path), ["manifest", "rootfs/", "rootfs/bin/sh", "rootfs/bin/ash", "rootfs/bin/dash", "rootfs/dev/null"])
        XCTAssertEqual(entries.map(\.kind), [.regular, .directory, .regular, .symlink, .hardlink, .characterDevice])
        XCTAssertEqual(entries[2].size, 2)
        XCTAssertEqual(entries[2].permissions, 0o755)
        XCTAssertEqual(entries[2].uid, 10)
        XCTAssertEqual(entries[3].linkTarget, "sh")
        XCTAssertEqual(entries[4].linkTarget, "rootfs/bin/sh")
        XCTAssertThrowsError(try ACIReader(path: aci).entries(limit: 3)) { error in
            XCTAssertTrue("\(error)".contains("\"rootfs/bin/ash\""), "\(error)")
        }
    }

    func testCorruptArchiveNamesThePath() throws {
        let scratch = try Scratch()
        let path = scratch.path("junk.tar")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ACIReader(path: path).manifestData()) { error in
            guard case .unreadable(let archive, _)? = error as? ImageArchiveError else { return XCTFail("\(error)") }
            XCTAssertEqual(archive, path)
        }
    }
}
