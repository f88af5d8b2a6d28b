import AppC
import Foundation
import XCTest

/// Manifests shaped like the ones real tools wrote: rkt's stage1 image manifest, a docker2aci
/// conversion, and a pod manifest as rkt's Go code serialises it (nulls for empty lists, its own
/// version as acVersion, 64-digit store keys as image IDs).
final class RealWorldManifestTests: XCTestCase {
    func testStage1ImageManifest() throws {
        let json = """
        {
            "acKind": "ImageManifest",
            "acVersion": "0.8.11",
            "name": "coreos.com/rkt/stage1-kvm",
            "labels": [
                { "name": "version", "value": "1.30.0" },
                { "name": "arch", "value": "amd64" },
                { "name": "os", "value": "linux" }
            ],
            "annotations": [
                { "name": "coreos.com/rkt/stage1/run", "value": "/init" },
                { "name": "coreos.com/rkt/stage1/enter", "value": "/enter" },
                { "name": "coreos.com/rkt/stage1/gc", "value": "/gc" },
                { "name": "coreos.com/rkt/stage1/stop", "value": "/stop" },
                { "name": "coreos.com/rkt/stage1/interface-version", "value": "3" }
            ]
        }
        """
        let manifest = try ImageManifest(jsonData: Data(json.utf8))
        XCTAssertNil(manifest.app)
        XCTAssertEqual(manifest.annotation("coreos.com/rkt/stage1/run"), "/init")
        XCTAssertEqual(manifest.annotation("coreos.com/rkt/stage1/interface-version"), "3")
        XCTAssertEqual(try ImageManifest(jsonData: manifest.jsonData()), manifest)
    }

    func testDocker2ACIManifest() throws {
        let json = """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"registry-1.docker.io/library/redis",
         "labels":[{"name":"version","value":"latest"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],
         "app":{"exec":["docker-entrypoint.sh","redis-server"],"user":"0","group":"0","workingDirectory":"/data",
                "environment":[{"name":"PATH","value":"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
                               {"name":"REDIS_VERSION","value":"3.0.7"}],
                "mountPoints":[{"name":"volume-data","path":"/data"}],
                "ports":[{"name":"6379-tcp","protocol":"tcp","port":6379,"count":1,"socketActivated":false}]},
         "annotations":[{"name":"created","value":"2016-03-08T22:33:43.345218133Z"},
                        {"name":"appc.io/docker/registryurl","value":"registry-1.docker.io"},
                        {"name":"appc.io/docker/repository","value":"library/redis"},
                        {"name":"appc.io/docker/imageid","value":"sha256:0f3c1a9e"},
                        {"name":"appc.io/docker/parentimageid","value":"sha256:8a2c9e0b"},
                        {"name":"appc.io/docker/entrypoint","value":"[\\"docker-entrypoint.sh\\"]"},
                        {"name":"appc.io/docker/cmd","value":"[\\"redis-server\\"]"}]}
        """
        let manifest = try ImageManifest(jsonData: Data(json.utf8))
        let app = try XCTUnwrap(manifest.app)
        XCTAssertTrue(app.execNeedsPathLookup)
        XCTAssertEqual(app.environment.value(of: "REDIS_VERSION"), "3.0.7")
        XCTAssertEqual(app.ports.first?.name.value, "6379-tcp")
        XCTAssertEqual(manifest.annotation("appc.io/docker/entrypoint"), #"["docker-entrypoint.sh"]"#)
        XCTAssertEqual(try ImageManifest(jsonData: manifest.jsonData(pretty: true)), manifest)
    }

    func testGoSerialisedPodManifest() throws {
        let key = "sha512-" + String(repeating: "4d", count: 32)
        let json = """
        {"acVersion":"1.30.0","acKind":"PodManifest","apps":[{"name":"redis","image":{"name":"registry-1.docker.io/library/redis",
        "id":"\(key)","labels":[{"name":"version","value":"latest"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]},
        "app":{"exec":["docker-entrypoint.sh","redis-server"],"user":"0","group":"0","workingDirectory":"/data",
        "environment":null,"mountPoints":[{"name":"volume-data","path":"/data"}],
        "ports":[{"name":"6379-tcp","protocol":"tcp","port":6379,"count":1,"socketActivated":false}],
        "isolators":[{"name":"os/linux/seccomp-remove-set","value":{"set":["@rkt/default-blacklist"],"errno":""}}],
        "criAnnotations":{"io.kubernetes.pod.name":"redis-0"},"criLabels":null},
        "mounts":[{"volume":"volume-data","path":"/data"}],
        "annotations":[{"name":"coreos.com/rkt/stage1/mutable","value":"false"}]}],
        "volumes":[{"name":"volume-data","kind":"empty","readOnly":false,"recursive":true,"mode":"0755","uid":0,"gid":0}],
        "isolators":null,"annotations":[{"name":"coreos.com/rkt/stage1/mutable","value":"false"}],"ports":null}
        """
        let pod = try PodManifest(jsonData: Data(json.utf8))
        XCTAssertEqual(pod.acVersion.description, "1.30.0")
        XCTAssertEqual(pod.apps[0].image.id.keyString, key)
        XCTAssertFalse(pod.apps[0].image.id.isFull)
        XCTAssertEqual(pod.isolators, [])
        XCTAssertEqual(pod.ports, [])
        XCTAssertEqual(pod.volumes[0].recursive, true)
        guard case let .seccompRemoveSet(set)? = pod.apps[0].app?.isolators.first?.known else {
            return XCTFail("seccomp isolator not decoded")
        }
        XCTAssertNil(set.errno, "an empty errno means SIGSYS")
        XCTAssertEqual(pod.apps[0].app?.criAnnotations, ["io.kubernetes.pod.name": "redis-0"])
        XCTAssertEqual(pod.apps[0].app?.criLabels, [:])
        XCTAssertEqual(try PodManifest(jsonData: pod.jsonData()), pod)
    }
}
