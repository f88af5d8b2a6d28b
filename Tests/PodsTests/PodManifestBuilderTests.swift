import AppC
import Pods
import XCTest

final class PodManifestBuilderTests: XCTestCase {
    let imageID = try! ImageID("sha512-" + String(repeating: "ab", count: 32))

    func image(_ name: String, app: App? = App(exec: ["/bin/server", "--port=80"], user: "0", group: "0",
                                                environment: [EnvironmentVariable(name: "A", value: "image")],
                                                mountPoints: [MountPoint(name: try! ACName("data"), path: "/var/data", readOnly: true)])) -> ImageManifest {
        ImageManifest(name: try! ACIdentifier(name), app: app)
    }

    func testOverridesAndEnvironmentPrecedence() throws {
        var options = AppOptions(image: "example.com/server")
        options.exec = "/bin/sh"
        options.arguments = ["-c", "true"]
        options.user = "daemon"
        options.workingDirectory = "/srv"
        options.environmentPairs = [.init(name: "D", value: "app")]
        var builder = PodManifestBuilder()
        builder.inheritedEnvironment = [.init(name: "A", value: "host"), .init(name: "B", value: "host")]
        builder.environmentFile = [.init(name: "B", value: "file"), .init(name: "C", value: "file")]
        builder.setEnvironment = [.init(name: "C", value: "set"), .init(name: "D", value: "set")]
        let manifest = try builder.build([.init(options: options, imageManifest: image("example.com/server"), imageID: imageID)])
        let app = try XCTUnwrap(manifest.apps.first)
        XCTAssertEqual(app.name.value, "server")
        XCTAssertEqual(app.app?.exec, ["/bin/sh", "-c", "true"])
        XCTAssertEqual(app.app?.user, "daemon")
        XCTAssertEqual(app.app?.group, "0")
        XCTAssertEqual(app.app?.workingDirectory, "/srv")
        let environment = Dictionary(uniqueKeysWithValues: (app.app?.environment ?? []).map { ($0.name, $0.value) })
        XCTAssertEqual(environment, ["A": "host", "B": "file", "C": "set", "D": "app"])
        XCTAssertEqual(app.image.id, imageID)
        XCTAssertEqual(app.image.name?.value, "example.com/server")
    }

    func testArgumentsAloneKeepTheImageProgram() throws {
        var options = AppOptions(image: "x")
        options.arguments = ["--port=8080"]
        let manifest = try PodManifestBuilder().build([.init(options: options, imageManifest: image("example.com/server"), imageID: imageID)])
        XCTAssertEqual(manifest.apps[0].app?.exec, ["/bin/server", "--port=8080"])
    }

    func testVolumesMountsAndImageMountPoints() throws {
        var builder = PodManifestBuilder()
        builder.volumes = [try Volume(parsing: "data,kind=host,source=/srv/data"), try Volume(parsing: "scratch,kind=empty")]
        builder.podMounts = [.init(volume: "scratch", target: "/scratch")]
        let manifest = try builder.build([.init(options: AppOptions(image: "x"), imageManifest: image("example.com/server"), imageID: imageID)])
        XCTAssertEqual(manifest.apps[0].mounts.map(\.path), ["/scratch", "/var/data"], "the image's mount point picks up the volume of its name")
        XCTAssertEqual(manifest.volumes.count, 2)
    }

    func testRefusals() throws {
        let builder = PodManifestBuilder()
        var unknownVolume = AppOptions(image: "x")
        unknownVolume.mounts = [.init(volume: "nope", target: "/x")]
        XCTAssertThrowsError(try builder.build([.init(options: unknownVolume, imageManifest: image("example.com/a"), imageID: imageID)])) {
            XCTAssertTrue("\($0)".contains("\"nope\""), "\($0)")
        }
        XCTAssertThrowsError(try builder.build([
            .init(options: AppOptions(image: "a"), imageManifest: image("example.com/same"), imageID: imageID),
            .init(options: AppOptions(image: "b"), imageManifest: image("other.org/same"), imageID: imageID),
        ])) { XCTAssertTrue("\($0)".contains("--name"), "\($0)") }
        XCTAssertThrowsError(try builder.build([.init(options: AppOptions(image: "a"), imageManifest: image("example.com/noapp", app: nil), imageID: imageID)])) {
            XCTAssertTrue("\($0)".contains("--exec"), "\($0)")
        }
        var badName = AppOptions(image: "a")
        badName.name = "Not Valid"
        XCTAssertThrowsError(try builder.build([.init(options: badName, imageManifest: image("example.com/a"), imageID: imageID)])) {
            XCTAssertTrue("\($0)".contains("--name"), "\($0)")
        }
        var relative = AppOptions(image: "a")
        relative.workingDirectory = "srv"
        XCTAssertThrowsError(try builder.build([.init(options: relative, imageManifest: image("example.com/a"), imageID: imageID)])) {
            XCTAssertTrue("\($0)".contains("--working-dir"), "\($0)")
        }
        XCTAssertThrowsError(try builder.build([])) { XCTAssertTrue("\($0)".contains("image")) }
    }

    func testEnvironmentFile() throws {
        let parsed = try PodManifestBuilder.environmentFile("# comment\nA=1\n\n  B=two words\n", path: "env")
        XCTAssertEqual(parsed, [.init(name: "A", value: "1"), .init(name: "B", value: "two words")])
        XCTAssertThrowsError(try PodManifestBuilder.environmentFile("A=1\nbroken\n", path: "env")) {
            XCTAssertEqual("\($0)", "env:2: expected NAME=VALUE")
        }
    }
}
