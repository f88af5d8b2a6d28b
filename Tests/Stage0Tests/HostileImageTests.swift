import Foundation
import ImageTestSupport
import XCTest

/// A hostile image fetched like any other must not be able to write outside the directory it renders into.
final class HostileImageTests: RktTestCase {
    /// Writes a tar with Python's tarfile, which (unlike GNU tar) stores whatever names and links it is given.
    private func makeHostileACI(outside: String) throws -> String {
        let path = fixture.directory + "/hostile.aci"
        let manifest = #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/hostile"}"#
        let script = """
            import io, sys, tarfile
            path, outside, manifest = sys.argv[1], sys.argv[2], sys.argv[3].encode()
            with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
                def add(name, data=None, kind=tarfile.REGTYPE, link=""):
                    info = tarfile.TarInfo(name)
                    info.type, info.linkname, info.mode = kind, link, 0o755
                    info.size = len(data) if data is not None else 0
                    tar.addfile(info, io.BytesIO(data) if data is not None else None)
                add("manifest", manifest)
                add("rootfs", kind=tarfile.DIRTYPE)
                add("rootfs/escape", kind=tarfile.SYMTYPE, link=outside)
                add("rootfs/escape/pwned", b"owned")
            """
        try ACIFixture.run("/usr/bin/env", ["python3", "-c", script, path, outside, manifest])
        return path
    }

    func testWritingThroughASymlinkIsRefusedAndNothingLandsOutside() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("needs python3 to write a hostile tar")
        }
        let outside = fixture.directory + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let aci = try makeHostileACI(outside: outside)
        let fetched = try rkt.run(["fetch", "--insecure-options=image", aci])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)

        let render = try rkt.run(["image", "render", "example.com/hostile", fixture.directory + "/rendered"])
        XCTAssertEqual(render.status, 254)
        XCTAssertTrue(render.stderr.contains("rootfs/escape/pwned"), render.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.directory + "/rendered"))
    }
}
