import AppC
import Foundation
import XCTest

/// rkt's `--volume` and `--port` argument syntax, label matching and Codable string forms.
final class FlagParsingTests: XCTestCase {
    func testVolumeFlags() throws {
        let host = try Volume(parsing: "database,kind=host,source=/tmp,readOnly=true,recursive=false")
        XCTAssertEqual(host, Volume(name: try ACName("database"), kind: .host, source: "/tmp", readOnly: true, recursive: false))
        let empty = try Volume(parsing: "scratch,kind=empty,mode=0700,uid=1000")
        XCTAssertEqual(empty.mode, "0700")
        XCTAssertEqual(empty.uid, 1000)
        XCTAssertEqual(empty.gid, 0)

        let cases: [(String, String)] = [
            ("database", "kind is required"),
            ("Data,kind=host,source=/x", "not a valid AC name"),
            ("d,kind=nfs", "is not one of"),
            ("d,kind=host", "source is required"),
            ("d,kind=host,source=rel", "absolute"),
            ("d,kind=host,source=/x,readOnly=yes", "not a boolean"),
            ("d,kind=empty,uid=-4", "not a valid ID"),
            ("d,kind=empty,size=5", "unknown volume parameter"),
            ("d,kind=empty,kind=host", "more than once"),
            ("d,kind=empty,mode=abc", "octal"),
        ]
        for (text, fragment) in cases {
            XCTAssertThrowsError(try Volume(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(text): \(error)")
            }
        }
    }

    func testPortFlags() throws {
        XCTAssertEqual(try ExposedPort(parsing: "http:8080"), ExposedPort(name: try ACName("http"), hostPort: 8080))
        XCTAssertEqual(try ExposedPort(parsing: "http:127.0.0.1:80"),
                       ExposedPort(name: try ACName("http"), hostPort: 80, hostIP: "127.0.0.1"))
        for text in ["http", "HTTP:80", "http:0", "http:65536", "http:+80", "http:1.2.3:80", "http:", ":80"] {
            XCTAssertThrowsError(try ExposedPort(parsing: text), text)
        }
    }

    func testLabelMatching() throws {
        let labels = [try Label("version", "1.0"), try Label("os", "linux"), try Label("arch", "amd64")]
        XCTAssertTrue(labels.satisfies([]))
        XCTAssertTrue(labels.satisfies([try Label("os", "linux")]))
        XCTAssertFalse(labels.satisfies([try Label("version", "2.0")]))
        XCTAssertFalse(labels.satisfies([try Label("env", "canary")]))
    }

    func testCodableStringForms() throws {
        struct Record: Codable, Equatable {
            let id: ImageID
            let name: ACIdentifier
            let app: ACName
            let version: ACVersion
        }
        let record = Record(id: try ImageID("sha512-abcd"), name: try ACIdentifier("example.com/a"), app: try ACName("a"),
                            version: .current)
        let data = try JSONEncoder().encode(record)
        XCTAssertEqual(try JSONDecoder().decode(Record.self, from: data), record)
        let bad = Data(#"{"id":"sha512-zz","name":"x","app":"a","version":"0.8.11"}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(Record.self, from: bad))
    }

    func testOversizedManifestIsRefusedBeforeParsing() {
        let data = Data(count: ImageManifest.maximumSize + 1)
        XCTAssertThrowsError(try ImageManifest(jsonData: data)) { error in
            XCTAssertTrue("\(error)".contains("MiB limit"), "\(error)")
        }
        XCTAssertThrowsError(try PodManifest(jsonData: data))
    }
}

final class MountFlagAndResourceTests: XCTestCase {
    func testMountFlag() throws {
        XCTAssertEqual(try Mount(parsing: "volume=data,target=/var/data"), Mount(volume: try ACName("data"), path: "/var/data"))
        for text in ["volume=data", "target=/x", "volume=Data,target=/x", "volume=d,target=x", "volume=d,target=/../x",
                     "volume=d,target=/x,extra=1", "volume=d,volume=e,target=/x", "data,target=/x", ""] {
            XCTAssertThrowsError(try Mount(parsing: text), text)
        }
    }

    func testResourceAccessorsAndReplacement() throws {
        var isolators = [
            try Isolator(.resourceMemory(ResourceLimits(limit: try ResourceQuantity("512Mi")))),
            try Isolator(.resourceCPU(ResourceLimits(limit: try ResourceQuantity("1500m")))),
            try Isolator(.capabilitiesRemoveSet(["CAP_MKNOD"])),
        ]
        XCTAssertEqual(isolators.memoryLimitBytes, 536_870_912)
        XCTAssertEqual(isolators.cpuLimitMillicores, 1500)
        isolators.replace(with: try Isolator(.resourceMemory(ResourceLimits(limit: try ResourceQuantity("1G")))))
        isolators.replace(with: try Isolator(.capabilitiesRetainSet(["CAP_NET_BIND_SERVICE"])))
        XCTAssertEqual(isolators.map(\.name.value), ["resource/cpu", "resource/memory", "os/linux/capabilities-retain-set"])
        XCTAssertEqual(isolators.memoryLimitBytes, 1_000_000_000)
        XCTAssertNoThrow(try App(exec: [], user: "0", group: "0", isolators: isolators).validate())
        XCTAssertNil([Isolator]().memoryLimitBytes)
    }
}
