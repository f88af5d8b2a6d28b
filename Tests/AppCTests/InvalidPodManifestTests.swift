import AppC
import Foundation
import XCTest

final class InvalidPodManifestTests: XCTestCase {
    private static let id = "sha512-" + String(repeating: "2", count: 128)

    private func runtimeApp(_ name: String = "app", extra: String = "") -> String {
        #"{"name":"\#(name)","image":{"id":"\#(Self.id)"}\#(extra.isEmpty ? "" : "," + extra)}"#
    }

    private func pod(apps: [String]? = nil, extra: String = "") -> String {
        let list = (apps ?? [runtimeApp()]).joined(separator: ",")
        return #"{"acVersion":"0.8.11","acKind":"PodManifest","apps":[\#(list)]\#(extra.isEmpty ? "" : "," + extra)}"#
    }

    private func assertInvalid(_ json: String, path: String, contains fragment: String = "",
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PodManifest(jsonData: Data(json.utf8)), file: file, line: line) { error in
            guard let error = error as? ValidationError else {
                return XCTFail("not a ValidationError: \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.path, path, "\(error)", file: file, line: line)
            XCTAssertTrue(fragment.isEmpty || error.message.contains(fragment), "\(error)", file: file, line: line)
        }
    }

    func testBaselineIsValid() throws {
        let manifest = try PodManifest(jsonData: Data(pod().utf8))
        XCTAssertEqual(manifest.apps.count, 1)
        XCTAssertEqual(manifest.volumes, [])
    }

    func testTopLevel() {
        assertInvalid(#"{"acVersion":"0.8.11","acKind":"ImageManifest","apps":[]}"#, path: "acKind", contains: "is not \"PodManifest\"")
        assertInvalid(#"{"acVersion":"0.8.11","acKind":"PodManifest"}"#, path: "apps", contains: "is required")
        assertInvalid(#"{"acVersion":"v1","acKind":"PodManifest","apps":[]}"#, path: "acVersion", contains: "semantic version")
        assertInvalid(pod(extra: #""userLabels":{"a":1}"#), path: "userLabels.a", contains: "expected a string")
        assertInvalid(pod(extra: #""userAnnotations":[]"#), path: "userAnnotations", contains: "expected an object")
    }

    func testApps() {
        assertInvalid(pod(apps: [runtimeApp("a"), runtimeApp("a")]), path: "apps[1].name", contains: "duplicate app")
        assertInvalid(pod(apps: [runtimeApp("A_B")]), path: "apps[0].name", contains: "not a valid AC name")
        assertInvalid(pod(apps: [#"{"name":"a"}"#]), path: "apps[0].image", contains: "is required")
        assertInvalid(pod(apps: [#"{"name":"a","image":{"name":"x"}}"#]), path: "apps[0].image.id", contains: "is required")
        assertInvalid(pod(apps: [#"{"name":"a","image":{"id":"sha512-xyz"}}"#]), path: "apps[0].image.id", contains: "non-hex")
        assertInvalid(pod(apps: [#"{"name":"a","image":{"id":"sha512-..."}}"#]), path: "apps[0].image.id", contains: "non-hex")
        assertInvalid(pod(apps: [#"{"name":"a","image":{"id":"\#(Self.id)","name":"A"}}"#]), path: "apps[0].image.name")
        assertInvalid(pod(apps: [runtimeApp(extra: #""app":{"exec":["/x"],"user":"0"}"#)]), path: "apps[0].app.group", contains: "is required")
        assertInvalid(pod(apps: [runtimeApp(extra: #""readOnlyRootFS":1"#)]), path: "apps[0].readOnlyRootFS", contains: "boolean")
        assertInvalid(pod(apps: [runtimeApp(extra: #""mounts":[{"volume":"v","path":"rel"}]"#)]), path: "apps[0].mounts[0].path")
        assertInvalid(pod(apps: [runtimeApp(extra: #""mounts":[{"path":"/v"}]"#)]), path: "apps[0].mounts[0].volume", contains: "is required")
        assertInvalid(pod(apps: [runtimeApp(extra: #""mounts":[{"volume":"v","path":"/v","appVolume":{"name":"v","kind":"tmpfs"}}]"#)]),
                      path: "apps[0].mounts[0].appVolume.kind", contains: "is not one of")
        assertInvalid(pod(apps: [runtimeApp(extra: #""annotations":[{"name":"x","value":"1"},{"name":"x","value":"1"}]"#)]),
                      path: "apps[0].annotations[1].name", contains: "duplicate")
    }

    func testVolumes() {
        assertInvalid(pod(extra: #""volumes":[{"name":"v","kind":"host"}]"#), path: "volumes[0].source", contains: "is required")
        assertInvalid(pod(extra: #""volumes":[{"name":"v","kind":"host","source":"tmp"}]"#), path: "volumes[0].source", contains: "absolute")
        assertInvalid(pod(extra: #""volumes":[{"name":"v","kind":"host","source":"/tmp","mode":"0755"}]"#),
                      path: "volumes[0].mode", contains: "host volume")
        assertInvalid(pod(extra: #""volumes":[{"name":"v","kind":"empty","source":"/tmp"}]"#), path: "volumes[0].source")
        assertInvalid(pod(extra: #""volumes":[{"name":"v","kind":"empty","mode":"0999"}]"#), path: "volumes[0].mode", contains: "octal")
        assertInvalid(pod(extra: #""volumes":[{"name":"v","kind":"empty","mode":"17777"}]"#), path: "volumes[0].mode", contains: "octal")
        assertInvalid(pod(extra: #""volumes":[{"name":"v","kind":"empty","uid":-1}]"#), path: "volumes[0].uid", contains: "out of range")
        assertInvalid(pod(extra: #""volumes":[{"name":"v","kind":"nfs"}]"#), path: "volumes[0].kind")
        assertInvalid(pod(extra: #""volumes":[{"name":"v","kind":"empty"},{"name":"v","kind":"empty"}]"#),
                      path: "volumes[1].name", contains: "duplicate volume")
    }

    func testPortsAndIsolators() {
        assertInvalid(pod(extra: #""ports":[{"name":"p"}]"#), path: "ports[0].hostPort", contains: "is required")
        assertInvalid(pod(extra: #""ports":[{"name":"p","hostPort":70000}]"#), path: "ports[0].hostPort", contains: "out of range")
        assertInvalid(pod(extra: #""ports":[{"name":"p","hostPort":80,"hostIP":"256.1.1.1"}]"#), path: "ports[0].hostIP", contains: "not an IP")
        assertInvalid(pod(extra: #""ports":[{"name":"p","hostPort":80},{"name":"p","hostPort":81}]"#), path: "ports[1].name", contains: "duplicate")
        assertInvalid(pod(extra: #""ports":[{"name":"p","hostPort":80,"podPort":{"name":"p","protocol":"tcp","port":0}}]"#),
                      path: "ports[0].podPort.port")
        assertInvalid(pod(extra: #""isolators":[{"name":"resource/memory","value":{"limit":"1Q"}}]"#),
                      path: "isolators[0].value.limit", contains: "unknown suffix")
        assertInvalid(pod(extra: #""isolators":[{"name":"os/unix/sysctl","value":{}},{"name":"os/unix/sysctl","value":{}}]"#),
                      path: "isolators[1].name", contains: "only one")
    }

    func testIPv6HostIP() throws {
        let manifest = try PodManifest(jsonData: Data(pod(extra: #""ports":[{"name":"p","hostPort":80,"hostIP":"::1"}]"#).utf8))
        XCTAssertEqual(manifest.ports[0].hostIP, "::1")
    }
}
