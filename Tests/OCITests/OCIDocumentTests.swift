import AppC
import OCI
import XCTest

final class OCIDocumentTests: XCTestCase {
    let layerDigest = "sha256:" + String(repeating: "a", count: 64)
    let configDigest = "sha256:" + String(repeating: "b", count: 64)

    func testDigestParsingIsStrict() throws {
        XCTAssertEqual(try OCIDigest(layerDigest).fileName, "sha256-" + String(repeating: "a", count: 64))
        for bad in ["sha256:" + String(repeating: "A", count: 64), "sha256:abc", "md5:" + String(repeating: "a", count: 32),
                    "sha256:" + String(repeating: "a", count: 63) + "/", "sha256", "sha256:../../etc/passwd"] {
            XCTAssertThrowsError(try OCIDigest(bad), bad)
        }
    }

    func testDigestOfKnownBytes() {
        // sha256("abc") from FIPS 180-2.
        XCTAssertEqual(OCIDigest.of(Array("abc".utf8)).hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let descriptor = OCIDescriptor(mediaType: OCIMediaType.ociLayer, digest: OCIDigest.of(Array("abc".utf8)), size: 3)
        XCTAssertNoThrow(try descriptor.verify(Array("abc".utf8)))
        XCTAssertThrowsError(try descriptor.verify(Array("abd".utf8))) { error in
            guard case OCIError.digestMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try descriptor.verify(Array("abcd".utf8))) { error in
            guard case OCIError.sizeMismatch = error else { return XCTFail("\(error)") }
        }
    }

    func testManifestParses() throws {
        let json = """
            {"schemaVersion":2,"mediaType":"\(OCIMediaType.dockerManifest)",
             "config":{"mediaType":"\(OCIMediaType.dockerConfig)","digest":"\(configDigest)","size":100},
             "layers":[{"mediaType":"\(OCIMediaType.dockerLayerGzip)","digest":"\(layerDigest)","size":5}]}
            """
        let manifest = try OCIManifest(bytes: Array(json.utf8))
        XCTAssertEqual(manifest.layers.map(\.digest.description), [layerDigest])
        XCTAssertEqual(manifest.config.size, 100)
    }

    func testHostileManifestsAreRefusedNamingTheField() {
        let cases: [(String, String)] = [
            ("{\"schemaVersion\":1}", "schemaVersion"),
            ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"\(OCIMediaType.ociConfig)\",\"digest\":\"sha256:x\",\"size\":1}}", "config.digest"),
            ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"\(OCIMediaType.ociConfig)\",\"digest\":\"\(configDigest)\",\"size\":-1}}", "config.size"),
            ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"\(OCIMediaType.ociConfig)\",\"digest\":\"\(configDigest)\",\"size\":1},\"layers\":{}}", "layers"),
            ("{\"schemaVersion\":2,\"schemaVersion\":2}", ""),
            ("[]", ""),
        ]
        for (json, field) in cases {
            XCTAssertThrowsError(try OCIManifest(bytes: Array(json.utf8)), json) { error in
                guard case let OCIError.invalidDocument(_, actual, _) = error else { return XCTFail("\(json): \(error)") }
                XCTAssertEqual(actual, field, json)
            }
        }
        let foreign = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"\(OCIMediaType.ociConfig)\",\"digest\":\"\(configDigest)\",\"size\":1},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\"\(layerDigest)\",\"size\":1}]}"
        XCTAssertThrowsError(try OCIManifest(bytes: Array(foreign.utf8))) { error in
            guard case OCIError.unsupportedMediaType = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try OCIManifest(bytes: [UInt8](repeating: 0x20, count: OCIManifest.maximumSize + 1))) { error in
            guard case OCIError.tooLarge = error else { return XCTFail("\(error)") }
        }
        let deep = String(repeating: "[", count: 10000)
        XCTAssertThrowsError(try OCIManifest(bytes: Array(deep.utf8)))
    }

    func testIndexPicksLinuxAMD64() throws {
        func entry(_ arch: String, _ hex: Character) -> String {
            "{\"mediaType\":\"\(OCIMediaType.ociManifest)\",\"digest\":\"sha256:\(String(repeating: hex, count: 64))\",\"size\":10,\"platform\":{\"os\":\"linux\",\"architecture\":\"\(arch)\"}}"
        }
        let json = "{\"schemaVersion\":2,\"manifests\":[\(entry("arm64", "c")),\(entry("amd64", "d"))]}"
        let index = try OCIIndex(bytes: Array(json.utf8))
        XCTAssertEqual(try index.manifest(for: .linuxAMD64).digest.hex, String(repeating: "d", count: 64))
        XCTAssertThrowsError(try index.manifest(for: OCIPlatform(os: "linux", architecture: "s390x"))) { error in
            XCTAssertEqual("\(error)", "no image for platform linux/s390x (available: linux/arm64, linux/amd64)")
        }
    }

    func testConfigParsesDockerNulls() throws {
        let json = """
            {"architecture":"amd64","os":"linux","created":"2024-01-02T03:04:05Z",
             "config":{"User":"","Env":["PATH=/usr/bin","A=b=c"],"Entrypoint":null,"Cmd":["sh"],
                       "ExposedPorts":{"80/tcp":{},"53/udp":{}},"Volumes":{"/data":{}},"WorkingDir":"","Labels":null},
             "rootfs":{"type":"layers","diff_ids":["\(layerDigest)"]}}
            """
        let config = try OCIImageConfig(bytes: Array(json.utf8))
        XCTAssertEqual(config.cmd, ["sh"])
        XCTAssertEqual(config.entrypoint, [])
        XCTAssertEqual(config.exposedPorts, ["80/tcp", "53/udp"])
        XCTAssertEqual(config.diffIDs.count, 1)
        XCTAssertThrowsError(try OCIImageConfig(bytes: Array("{\"os\":\"linux\",\"architecture\":\"amd64\",\"config\":{\"Cmd\":[1]}}".utf8))) { error in
            XCTAssertTrue("\(error)".contains("config.Cmd[0]"), "\(error)")
        }
    }
}
