import Foundation
import ImageFetch
import ImageStore
import ImageTestSupport
import OCI
import XCTest

/// A store and an OCI layout holding a two-layer image (`multi`: whiteouts, an opaque dir, merged /usr)
/// and a manifest list (`list`: arm64 + amd64) for the fetch tests.
final class FetchFixture {
    let files: ACIFixture
    let store: ImageStore
    let layout: OCILayoutBuilder
    var layoutPath: String { layout.directory }
    private(set) var baseLayer: [String: Any] = [:]
    private(set) var topLayer: [String: Any] = [:]

    init() throws {
        files = try ACIFixture()
        store = try ImageStore(dataDirectory: files.directory + "/data")
        layout = try OCILayoutBuilder(directory: files.directory + "/layout")
        baseLayer = try layout.addLayer(.init(
            files: ["etc/os-release": "base", "etc/motd": "hello", "var/cache/a": "a", "usr/bin/sh": "#!sh"],
            directories: ["usr/bin"], symlinks: ["bin": "usr/bin"]))
        topLayer = try layout.addLayer(.init(
            files: ["usr/bin/app": "app", "var/cache/b": "b"], whiteouts: ["etc/motd"], opaqueDirectories: ["var/cache"]))
        let multi = try layout.addManifest(layers: [baseLayer, topLayer], config: [
            "Entrypoint": ["/bin/app"], "Cmd": ["--serve"], "Env": ["PATH=/usr/bin:/bin", "MODE=test"],
            "WorkingDir": "/srv", "User": "1000:1000", "ExposedPorts": ["8080/tcp": [String: Any]()],
            "Volumes": ["/data": [String: Any]()], "Labels": ["org.example.team": "infra"],
        ])
        try layout.tag(multi, as: "multi")
        let armLayer = try layout.addLayer(.init(files: ["arch": "arm64"]))
        let amdLayer = try layout.addLayer(.init(files: ["arch": "amd64"]))
        let arm = try layout.addManifest(layers: [armLayer], config: ["Cmd": ["/arch"]], architecture: "arm64")
        let amd = try layout.addManifest(layers: [amdLayer], config: ["Cmd": ["/arch"]], architecture: "amd64")
        try layout.tag(try layout.addIndexBlob(manifests: [arm, amd]), as: "list")
    }

    deinit {
        files.cleanUp()
    }

    func fetch(_ argument: String, options: RegistryOptions = RegistryOptions(), lines: ((String) -> Void)? = nil) throws -> OCIImageImporter.Result {
        guard let reference = try OCISourceReference(parsing: argument) else { throw FetchError.invalidSource(argument, reason: "not OCI") }
        return try OCIFetcher(store: store, registryOptions: options, progress: lines ?? { _ in }).fetch(reference)
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Renders the record's tree and checks the two-layer image's files.
    func assertMultiLayerTree(_ record: ImageRecord, file: StaticString = #filePath, line: UInt = #line) throws {
        let rootfs = try store.renderTree(for: record).rootfs
        XCTAssertEqual(read(rootfs + "/etc/os-release"), "base", file: file, line: line)
        XCTAssertNil(read(rootfs + "/etc/motd"), "whiteout", file: file, line: line)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: rootfs + "/var/cache"), ["b"], "opaque", file: file, line: line)
        XCTAssertEqual(read(rootfs + "/bin/app"), "app", file: file, line: line)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: rootfs + "/bin"), "usr/bin", file: file, line: line)
    }

    /// Whether the store holds nothing: no image rows, no layer files.
    func assertStoreEmpty(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try store.images(), [], file: file, line: line)
        let layers = try FileManager.default.subpathsOfDirectory(atPath: store.layout.layers).filter { $0.contains("sha256-") }
        XCTAssertEqual(layers, [], file: file, line: line)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        try ACIFixture.run(executable, arguments)
    }
}
