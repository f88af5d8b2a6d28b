import AppC
import Foundation
import XCTest

final class SpecExampleTests: XCTestCase {
    func testImageManifestExampleDecodes() throws {
        let manifest = try ImageManifest(jsonData: Data(SpecExamples.imageManifest.utf8))
        XCTAssertEqual(manifest.name.value, "example.com/reduce-worker")
        XCTAssertEqual(manifest.acVersion, ACVersion(major: 0, minor: 8, patch: 11))
        XCTAssertEqual(manifest.version, "1.0.0")
        XCTAssertEqual(manifest.os, "linux")
        XCTAssertEqual(manifest.arch, "amd64")
        XCTAssertNil(manifest.label("env"))

        let app = try XCTUnwrap(manifest.app)
        XCTAssertEqual(app.exec, ["/usr/bin/reduce-worker", "--quiet"])
        XCTAssertEqual(app.user, "100")
        XCTAssertEqual(app.group, "300")
        XCTAssertEqual(app.supplementaryGIDs, [400, 500])
        XCTAssertEqual(app.workingDirectory, "/opt/work")
        XCTAssertEqual(app.environment.value(of: "REDUCE_WORKER_DEBUG"), "true")
        XCTAssertEqual(app.eventHandlers.map(\.name), [.preStart, .postStop])
        XCTAssertEqual(app.mountPoints, [MountPoint(name: try ACName("work"), path: "/var/lib/work")])
        XCTAssertEqual(app.ports.count, 2)
        XCTAssertEqual(app.ports[0].count, 1)
        XCTAssertTrue(app.ports[0].socketActivated)
        XCTAssertEqual(app.ports[1].range, 20000...20999)

        guard case let .resourceMemory(memory)? = app.isolators.first(named: "resource/memory")?.known else {
            return XCTFail("memory isolator not decoded")
        }
        XCTAssertEqual(memory.limit?.value, 2_000_000_000)
        XCTAssertEqual(memory.request?.value, 1_000_000_000)
        guard case let .capabilitiesRetainSet(caps)? = app.isolators.first(named: "os/linux/capabilities-retain-set")?.known else {
            return XCTFail("capability isolator not decoded")
        }
        XCTAssertEqual(caps, ["CAP_NET_BIND_SERVICE"])

        XCTAssertEqual(manifest.dependencies.count, 1)
        XCTAssertEqual(manifest.dependencies[0].imageID?.description, SpecExamples.idA)
        XCTAssertEqual(manifest.dependencies[0].size, 22_017_258)
        XCTAssertEqual(manifest.pathWhitelist.count, 5)
        XCTAssertEqual(manifest.annotation("homepage"), "https://example.com")
    }

    func testImageManifestRoundTrips() throws {
        let manifest = try ImageManifest(jsonData: Data(SpecExamples.imageManifest.utf8))
        for pretty in [false, true] {
            let encoded = try manifest.jsonData(pretty: pretty)
            let decoded = try ImageManifest(jsonData: encoded)
            XCTAssertEqual(decoded, manifest)
            XCTAssertEqual(try decoded.jsonData(pretty: pretty), encoded, "encoding is stable")
        }
        let compact = String(decoding: try manifest.jsonData(pretty: false), as: UTF8.self)
        XCTAssertTrue(compact.hasPrefix(#"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/reduce-worker","labels":"#))
    }

    func testPodManifestExampleDecodes() throws {
        let pod = try PodManifest(jsonData: Data(SpecExamples.podManifest.utf8))
        XCTAssertEqual(pod.apps.map(\.name.value), ["reduce-worker", "backup", "register"])
        let backup = try XCTUnwrap(pod.app(named: try ACName("backup")))
        XCTAssertEqual(backup.image.id.description, SpecExamples.idB)
        XCTAssertEqual(backup.mounts, [Mount(volume: try ACName("work"), path: "/mnt/bar")])
        XCTAssertEqual(backup.annotations.value(of: "foo"), "baz")
        let register = try XCTUnwrap(pod.app(named: try ACName("register")))
        XCTAssertNil(register.app)
        XCTAssertFalse(register.image.id.isFull, "a 64-digit rkt store key is a shortened ID")

        XCTAssertEqual(pod.volumes[0].kind, .host)
        XCTAssertEqual(pod.volumes[0].source, "/opt/tenant1/work")
        XCTAssertEqual(pod.volumes[0].readOnly, true)
        XCTAssertNil(pod.volumes[0].mode)
        XCTAssertEqual(pod.volumes[1].modeBits, 0o700)
        XCTAssertEqual(pod.volumes[1].uid, 1000)
        XCTAssertEqual(pod.volumes[1].gid, 0, "empty volumes default gid to 0")

        XCTAssertEqual(pod.isolators.count, 1)
        XCTAssertEqual(pod.annotation("ip-address"), "10.1.2.3")
        XCTAssertEqual(pod.ports[0].hostPort, 2121)
        XCTAssertEqual(pod.ports[1].hostIP, "127.0.0.1")
        XCTAssertEqual(pod.ports[1].podPort?.port, 4000)
        XCTAssertEqual(pod.userAnnotations, ["owner": "ops"])
        XCTAssertEqual(pod.userLabels, ["tier": "batch"])
    }

    func testPodManifestRoundTrips() throws {
        let pod = try PodManifest(jsonData: Data(SpecExamples.podManifest.utf8))
        for pretty in [false, true] {
            let encoded = try pod.jsonData(pretty: pretty)
            let decoded = try PodManifest(jsonData: encoded)
            XCTAssertEqual(decoded, pod)
            XCTAssertEqual(try decoded.jsonData(pretty: pretty), encoded)
        }
    }

    func testBuiltManifestsEncodeAndDecode() throws {
        let app = App(exec: ["/bin/sh", "-c", "echo hi"], user: "0", group: "0",
                      isolators: [try Isolator(.oomScoreAdj(-500)), try Isolator(.noNewPrivileges(true))],
                      ports: [Port(name: try ACName("http"), protocol: "tcp", port: 80)])
        let image = ImageManifest(name: try ACIdentifier("example.com/hello"),
                                  labels: [try Label("version", "0.1"), try Label("os", "linux"), try Label("arch", "amd64")],
                                  app: app,
                                  annotations: [try Annotation("coreos.com/rkt/stage1/run", "/init")])
        XCTAssertEqual(try ImageManifest(jsonData: image.jsonData()), image)

        let id = try ImageID(hexDigest: String(repeating: "C", count: 128))
        let pod = PodManifest(apps: [RuntimeApp(name: try ACName("hello"), image: RuntimeImage(name: image.name, id: id), app: app)],
                              volumes: [Volume(name: try ACName("data"), kind: .empty)])
        let decoded = try PodManifest(jsonData: pod.jsonData(pretty: true))
        XCTAssertEqual(decoded, pod)
        XCTAssertEqual(decoded.volumes[0].mode, "0755")
        XCTAssertEqual(decoded.apps[0].image.id.prefix, String(repeating: "c", count: 128))
    }

    func testEncodingRefusesInvalidManifest() throws {
        var image = ImageManifest(name: try ACIdentifier("example.com/x"))
        image.labels = [try Label("version", "1"), try Label("version", "2")]
        XCTAssertThrowsError(try image.jsonData()) { error in
            XCTAssertEqual((error as? ValidationError)?.path, "labels[1].name")
        }
    }
}
