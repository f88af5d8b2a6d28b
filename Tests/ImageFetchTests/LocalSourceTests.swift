import AppC
import Foundation
import ImageFetch
import ImageStore
import ImageTestSupport
import OCI
import XCTest

/// `oci-layout:`, `oci-archive:` and `docker-archive:` sources.
final class LocalSourceTests: XCTestCase {
    func testReferenceParsing() throws {
        XCTAssertEqual(try OCISourceReference(parsing: "oci-layout:/a/b:v1"), .ociLayout(path: "/a/b", tag: "v1"))
        XCTAssertEqual(try OCISourceReference(parsing: "oci-layout:/a/b"), .ociLayout(path: "/a/b", tag: nil))
        // skopeo's spelling of the same transport.
        XCTAssertEqual(try OCISourceReference(parsing: "oci:/a/b:v1"), .ociLayout(path: "/a/b", tag: "v1"))
        XCTAssertEqual(try OCISourceReference(parsing: "oci:layout"), .ociLayout(path: "layout", tag: nil))
        XCTAssertEqual(try OCISourceReference(parsing: "oci-archive:x.tar"), .ociArchive(path: "x.tar", tag: nil))
        XCTAssertEqual(try OCISourceReference(parsing: "docker-archive:/x.tar"), .dockerArchive(path: "/x.tar"))
        XCTAssertEqual(try OCISourceReference(parsing: "docker://busybox"), .docker(try DockerReference(parsing: "busybox")))
        XCTAssertNil(try OCISourceReference(parsing: "example.com/app:1.0"))
        XCTAssertThrowsError(try OCISourceReference(parsing: "docker://Bad/Name"))
    }

    func testOCILayoutMultiLayerImage() throws {
        let fixture = try FetchFixture()
        var lines: [String] = []
        let result = try fixture.fetch("oci-layout:\(fixture.layoutPath):multi") { lines.append($0) }
        XCTAssertEqual(result.layersFetched, 2)
        XCTAssertEqual(lines.filter { $0.hasSuffix("stored (digest verified)") }.count, 2, "\(lines)")
        let record = result.record
        XCTAssertEqual(record.name, "layout")
        XCTAssertEqual(record.origin, "oci-layout:\(fixture.layoutPath):multi")
        let manifest = try fixture.store.manifest(of: record)
        XCTAssertEqual(manifest.version, "multi")
        XCTAssertEqual(manifest.app?.exec, ["/bin/app", "--serve"])
        XCTAssertEqual(manifest.app?.user, "1000")
        XCTAssertEqual(manifest.app?.workingDirectory, "/srv")
        XCTAssertEqual(manifest.app?.ports.map(\.name.value), ["8080-tcp"])
        XCTAssertEqual(manifest.app?.mountPoints.map(\.path), ["/data"])
        XCTAssertEqual(manifest.annotation("org.example.team"), "infra")
        try fixture.assertMultiLayerTree(record)
        XCTAssertEqual(try fixture.store.resolve("layout:multi").key, record.key)

        // Again: nothing new is fetched, the same image key comes back.
        let again = try fixture.fetch("oci-layout:\(fixture.layoutPath):multi")
        XCTAssertEqual(again.layersShared, 2)
        XCTAssertEqual(again.record.key, record.key)
    }

    func testManifestListPicksLinuxAMD64() throws {
        let fixture = try FetchFixture()
        let record = try fixture.fetch("oci-layout:\(fixture.layoutPath):list").record
        XCTAssertEqual(fixture.read(try fixture.store.renderTree(for: record).rootfs + "/arch"), "amd64")
        XCTAssertEqual(try fixture.store.manifest(of: record).arch, "amd64")
    }

    func testMissingTagAndAmbiguousLayout() throws {
        let fixture = try FetchFixture()
        XCTAssertThrowsError(try fixture.fetch("oci-layout:\(fixture.layoutPath):nope")) { error in
            XCTAssertEqual("\(error)", "\(fixture.layoutPath): no image tagged \"nope\" (tags: multi, list)")
        }
        XCTAssertThrowsError(try fixture.fetch("oci-layout:\(fixture.layoutPath)")) { error in
            XCTAssertTrue("\(error)".contains("lists 2 images"), "\(error)")
        }
    }

    func testCorruptedLayerLeavesNothingInTheStore() throws {
        let fixture = try FetchFixture()
        let path = try fixture.layout.blobPath(of: fixture.topLayer)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try fixture.fetch("oci-layout:\(fixture.layoutPath):multi")) { error in
            guard case OCIError.digestMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try fixture.store.images(), [])
        // The good base layer may have been stored; gc removes it since no image lists it.
        _ = try fixture.store.garbageCollect(gracePeriod: 0)
        try fixture.assertStoreEmpty()
    }

    func testHostileLayoutBlobSymlinkIsNotFollowed() throws {
        let fixture = try FetchFixture()
        let path = try fixture.layout.blobPath(of: fixture.topLayer)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/etc/passwd")
        XCTAssertThrowsError(try fixture.fetch("oci-layout:\(fixture.layoutPath):multi")) { error in
            XCTAssertTrue("\(error)".contains("symlink"), "\(error)")
        }
    }

    func testOCIArchive() throws {
        let fixture = try FetchFixture()
        let archive = fixture.files.directory + "/image.tar"
        _ = try FetchFixture.run("/usr/bin/tar", ["-C", fixture.layoutPath, "-cf", archive, "."])
        let record = try fixture.fetch("oci-archive:\(archive):multi").record
        XCTAssertEqual(record.name, "image")
        try fixture.assertMultiLayerTree(record)
        XCTAssertThrowsError(try fixture.fetch("oci-archive:\(fixture.files.directory)/missing.tar"))
    }

    /// Issue 21: `oci-archive:F` and `oci-archive:F:TAG` (and the same for layouts) naming the same manifest are
    /// one image: the only entry's tag is used when none is given.
    func testTagOfTheOnlyImageIsUsedWhenNoneIsGiven() throws {
        let fixture = try FetchFixture()
        let single = try OCILayoutBuilder(directory: fixture.files.directory + "/single")
        let layer = try single.addLayer(.init(files: ["etc/os-release": "single"]))
        try single.tag(try single.addManifest(layers: [layer], config: ["Cmd": ["/bin/sh"]]), as: "1.0")
        let archive = fixture.files.directory + "/single.tar"
        _ = try FetchFixture.run("/usr/bin/tar", ["-C", single.directory, "-cf", archive, "."])

        let untagged = try fixture.fetch("oci-archive:\(archive)").record
        let tagged = try fixture.fetch("oci-archive:\(archive):1.0")
        XCTAssertEqual(tagged.record.key, untagged.key)
        XCTAssertEqual(try fixture.store.manifest(of: untagged).version, "1.0")
        XCTAssertEqual(try fixture.fetch("oci-layout:\(single.directory)").record.key, untagged.key)
        XCTAssertEqual(try fixture.store.images().count, 1)
    }

    /// A `docker save`-format archive written by skopeo from the layout.
    func testDockerArchiveWrittenBySkopeo() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/skopeo") else {
            throw XCTSkip("skopeo is not installed (scripts/deps.sh installs it)")
        }
        let fixture = try FetchFixture()
        let archive = fixture.files.directory + "/saved.tar"
        _ = try FetchFixture.run("/usr/bin/skopeo", ["--insecure-policy", "copy", "oci:\(fixture.layoutPath):multi",
                                                     "docker-archive:\(archive):example.com/team/saved:1.0"])
        let record = try fixture.fetch("docker-archive:\(archive)").record
        XCTAssertEqual(record.name, "example.com/team/saved")
        XCTAssertEqual(try fixture.store.manifest(of: record).version, "1.0")
        XCTAssertEqual(try fixture.store.manifest(of: record).app?.exec, ["/bin/app", "--serve"])
        try fixture.assertMultiLayerTree(record)
    }

    /// A layout written by umoci (its own layer tars, whiteouts of removed files, an OCI config).
    func testLayoutWrittenByUmoci() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/umoci") else {
            throw XCTSkip("umoci is not installed (scripts/deps.sh installs it)")
        }
        let fixture = try FetchFixture()
        let layout = fixture.files.directory + "/umoci"
        let bundle = fixture.files.directory + "/bundle"
        let script = """
            set -e
            umoci init --layout '\(layout)' && umoci new --image '\(layout):t'
            umoci unpack --rootless --image '\(layout):t' '\(bundle)'
            mkdir -p '\(bundle)/rootfs/etc' && echo one > '\(bundle)/rootfs/etc/one' && echo two > '\(bundle)/rootfs/etc/two'
            umoci repack --image '\(layout):t' '\(bundle)' && rm -rf '\(bundle)'
            umoci unpack --rootless --image '\(layout):t' '\(bundle)'
            rm '\(bundle)/rootfs/etc/one'
            umoci repack --image '\(layout):t' '\(bundle)'
            umoci config --image '\(layout):t' --config.cmd=/bin/true --config.env=UMOCI=yes
            """
        _ = try FetchFixture.run("/bin/sh", ["-c", script])
        let record = try fixture.fetch("oci-layout:\(layout):t").record
        let rootfs = try fixture.store.renderTree(for: record).rootfs
        XCTAssertNil(fixture.read(rootfs + "/etc/one"), "umoci's whiteout applies")
        XCTAssertEqual(fixture.read(rootfs + "/etc/two"), "two\n")
        let manifest = try fixture.store.manifest(of: record)
        XCTAssertEqual(manifest.app?.exec, ["/bin/true"])
        XCTAssertEqual(manifest.app?.environment.value(of: "UMOCI"), "yes")
    }

    func testDockerArchiveWithEscapingLayerPathIsRefused() throws {
        let fixture = try FetchFixture()
        let staging = fixture.files.directory + "/evil"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Data("[{\"Config\":\"c.json\",\"RepoTags\":[\"evil:1\"],\"Layers\":[\"../../etc/passwd\"]}]".utf8)
            .write(to: URL(fileURLWithPath: staging + "/manifest.json"))
        try Data("{\"os\":\"linux\",\"architecture\":\"amd64\"}".utf8).write(to: URL(fileURLWithPath: staging + "/c.json"))
        let archive = fixture.files.directory + "/evil.tar"
        _ = try FetchFixture.run("/usr/bin/tar", ["-C", staging, "-cf", archive, "."])
        XCTAssertThrowsError(try fixture.fetch("docker-archive:\(archive)")) { error in
            XCTAssertTrue("\(error)".contains("not a path inside the image"), "\(error)")
        }
        try fixture.assertStoreEmpty()
    }
}
