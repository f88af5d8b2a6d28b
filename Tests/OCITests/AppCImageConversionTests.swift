import AppC
import OCI
import XCTest

final class AppCImageConversionTests: XCTestCase {
    let digest = OCIDigest.of(Array("manifest".utf8))
    let layer = OCIDigest.of(Array("layer".utf8))

    func testConfigMapsOntoTheAppcModel() throws {
        var config = OCIImageConfig(
            entrypoint: ["/docker-entrypoint.sh"], cmd: ["nginx", "-g", "daemon off;"],
            env: ["PATH=/usr/local/bin:/usr/bin", "EMPTY", "bad-name=1", "PATH=/bin"], workingDir: "srv",
            user: "www:www-data", exposedPorts: ["80/tcp", "53/udp", "9000-9002/tcp", "nonsense"],
            volumes: ["/var/cache/nginx", "/data/"],
            labels: [("maintainer", "someone"), ("org.opencontainers.image.Title", "x"), ("!!", "dropped")])
        config.created = "2024-01-02T03:04:05Z"
        let conversion = AppCImageConversion(
            config: config, name: "127.0.0.1:5000/web/nginx", tag: "1.25", manifestDigest: digest, layers: [layer])
        let (manifest, warnings) = try conversion.manifest()
        XCTAssertEqual(manifest.name.value, "127.0.0.1-5000/web/nginx")
        XCTAssertEqual(manifest.version, "1.25")
        XCTAssertEqual(manifest.os, "linux")
        XCTAssertEqual(manifest.arch, "amd64")
        let app = try XCTUnwrap(manifest.app)
        XCTAssertEqual(app.exec, ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"])
        XCTAssertEqual(app.user, "www")
        XCTAssertEqual(app.group, "www-data")
        XCTAssertEqual(app.workingDirectory, "/srv")
        XCTAssertEqual(app.environment.map { "\($0.name)=\($0.value)" }, ["EMPTY=", "PATH=/bin"])
        XCTAssertEqual(app.ports.map(\.name.value), ["80-tcp", "53-udp", "9000-9002-tcp"])
        XCTAssertEqual(app.ports[2].count, 3)
        XCTAssertEqual(app.mountPoints.map(\.name.value), ["volume-var-cache-nginx", "volume-data"])
        XCTAssertEqual(app.mountPoints.map(\.path), ["/var/cache/nginx", "/data"])
        XCTAssertEqual(manifest.annotation("maintainer"), "someone")
        XCTAssertEqual(manifest.annotation("org.opencontainers.image.title"), "x")
        XCTAssertEqual(manifest.annotation("created"), "2024-01-02T03:04:05Z")
        XCTAssertEqual(manifest.annotation(AppCImageConversion.layersAnnotation), layer.description)
        XCTAssertEqual(manifest.annotation(AppCImageConversion.manifestDigestAnnotation), digest.description)
        XCTAssertEqual(manifest.annotation("appc.io/docker/cmd"), "[\"nginx\",\"-g\",\"daemon off;\"]")
        XCTAssertEqual(warnings.count, 3, "\(warnings)")  // bad-name env, nonsense port, "!!" label
        // The result survives the appc parser.
        XCTAssertEqual(try ImageManifest(jsonData: try manifest.jsonData()), manifest)
    }

    func testDefaultsAndForeignPlatforms() throws {
        var config = OCIImageConfig(cmd: ["sh"])
        config.architecture = "arm64"
        let (manifest, _) = try AppCImageConversion(
            config: config, name: "docker.io/library/busybox", tag: nil, manifestDigest: digest, layers: []).manifest()
        XCTAssertEqual(manifest.app?.user, "0")
        XCTAssertEqual(manifest.app?.group, "0")
        XCTAssertEqual(manifest.arch, "aarch64")
        XCTAssertNil(manifest.version)
        config.os = "plan9"
        let (foreign, warnings) = try AppCImageConversion(
            config: config, name: "x", tag: "1", manifestDigest: digest, layers: []).manifest()
        XCTAssertNil(foreign.os)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertThrowsError(try AppCImageConversion(config: config, name: "!!!", tag: nil, manifestDigest: digest, layers: []).manifest())
    }
}
