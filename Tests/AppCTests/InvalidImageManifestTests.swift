import AppC
import Foundation
import XCTest

/// Each hostile or malformed image manifest must fail with the path of the offending field.
final class InvalidImageManifestTests: XCTestCase {
    private static let id = "sha512-" + String(repeating: "1", count: 128)

    /// A valid manifest whose app section is `app` (JSON text), plus any extra top-level members.
    private func manifest(app: String = #"{"exec":["/bin/true"],"user":"0","group":"0"}"#, extra: String = "",
                          name: String = #""example.com/app""#, kind: String = #""ImageManifest""#) -> String {
        #"{"acKind":\#(kind),"acVersion":"0.8.11","name":\#(name),"app":\#(app)\#(extra.isEmpty ? "" : "," + extra)}"#
    }

    private func app(_ members: String) -> String {
        #"{"exec":["/bin/true"],"user":"0","group":"0",\#(members)}"#
    }

    private func assertInvalid(_ json: String, path: String, contains fragment: String = "",
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ImageManifest(jsonData: Data(json.utf8)), file: file, line: line) { error in
            guard let error = error as? ValidationError else {
                return XCTFail("not a ValidationError: \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.path, path, "\(error)", file: file, line: line)
            XCTAssertTrue(fragment.isEmpty || error.message.contains(fragment), "\(error)", file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(path.isEmpty ? "" : path + ": "), file: file, line: line)
        }
    }

    func testBaselineIsValid() throws {
        XCTAssertNoThrow(try ImageManifest(jsonData: Data(manifest().utf8)))
    }

    func testTopLevel() {
        assertInvalid(#"[]"#, path: "", contains: "expected an object")
        assertInvalid(manifest(kind: #""PodManifest""#), path: "acKind", contains: #""PodManifest" is not "ImageManifest""#)
        assertInvalid(manifest(kind: "7"), path: "acKind", contains: "expected a string, got number")
        assertInvalid(#"{"acKind":"ImageManifest","name":"a"}"#, path: "acVersion", contains: "is required")
        assertInvalid(#"{"acKind":"ImageManifest","acVersion":"0.8","name":"a"}"#, path: "acVersion", contains: "semantic version")
        assertInvalid(#"{"acKind":"ImageManifest","acVersion":"0.8.11"}"#, path: "name", contains: "is required")
        assertInvalid(manifest(name: #""Example.com/App""#), path: "name", contains: "not a valid AC identifier")
        assertInvalid(manifest(name: #""example.com//app""#), path: "name", contains: "not a valid AC identifier")
        assertInvalid(manifest(name: "null"), path: "name", contains: "is required")
        assertInvalid(manifest(extra: #""pathWhitelist":["etc/passwd"]"#), path: "pathWhitelist[0]", contains: "absolute")
        assertInvalid(manifest(extra: #""pathWhitelist":"/etc""#), path: "pathWhitelist", contains: "expected an array")
    }

    func testLabels() {
        assertInvalid(manifest(extra: #""labels":[{"name":"version","value":"1"},{"name":"version","value":"2"}]"#),
                      path: "labels[1].name", contains: "duplicate label")
        assertInvalid(manifest(extra: #""labels":[{"name":"name","value":"x"}]"#), path: "labels[0].name", contains: "not allowed")
        assertInvalid(manifest(extra: #""labels":[{"name":"Version","value":"1"}]"#), path: "labels[0].name", contains: "AC identifier")
        assertInvalid(manifest(extra: #""labels":[{"name":"os","value":"plan9"}]"#), path: "labels[0].value", contains: "bad os")
        assertInvalid(manifest(extra: #""labels":[{"name":"os","value":"linux"},{"name":"arch","value":"x86_64"}]"#),
                      path: "labels[1].value", contains: "bad arch")
        assertInvalid(manifest(extra: #""labels":[{"name":"version"}]"#), path: "labels[0].value", contains: "is required")
        assertInvalid(manifest(extra: #""labels":[{"name":"version","value":1}]"#), path: "labels[0].value", contains: "expected a string")
    }

    func testAnnotations() {
        assertInvalid(manifest(extra: #""annotations":[{"name":"a","value":"1"},{"name":"a","value":"2"}]"#),
                      path: "annotations[1].name", contains: "duplicate annotation")
        assertInvalid(manifest(extra: #""annotations":[{"name":"created","value":"yesterday"}]"#),
                      path: "annotations[0].value", contains: "RFC 3339")
        assertInvalid(manifest(extra: #""annotations":[{"name":"homepage","value":"ftp://example.com"}]"#),
                      path: "annotations[0].value", contains: "http")
    }

    func testApp() {
        assertInvalid(manifest(app: #"{"exec":[""],"user":"0","group":"0"}"#), path: "app.exec[0]", contains: "must not be empty")
        assertInvalid(manifest(app: #"{"exec":["/bin/sh","a\u0000b"],"user":"0","group":"0"}"#), path: "app.exec[1]", contains: "NUL")
        assertInvalid(manifest(app: #"{"exec":"/bin/true","user":"0","group":"0"}"#), path: "app.exec", contains: "expected an array")
        assertInvalid(manifest(app: #"{"exec":["/bin/true"],"group":"0"}"#), path: "app.user", contains: "is required")
        assertInvalid(manifest(app: #"{"exec":["/bin/true"],"user":"","group":"0"}"#), path: "app.user", contains: "must not be empty")
        assertInvalid(manifest(app: #"{"exec":["/bin/true"],"user":"0"}"#), path: "app.group", contains: "is required")
        assertInvalid(manifest(app: app(#""workingDirectory":"opt""#)), path: "app.workingDirectory", contains: "absolute")
        assertInvalid(manifest(app: app(#""supplementaryGIDs":[-1]"#)), path: "app.supplementaryGIDs[0]", contains: "out of range")
        assertInvalid(manifest(app: app(#""supplementaryGIDs":[1.5]"#)), path: "app.supplementaryGIDs[0]", contains: "expected an integer")
    }

    func testEnvironment() {
        assertInvalid(manifest(app: app(#""environment":[{"name":"A","value":"1"},{"name":"A","value":"2"}]"#)),
                      path: "app.environment[1].name", contains: "duplicate environment variable")
        assertInvalid(manifest(app: app(#""environment":[{"name":"1A","value":"1"}]"#)),
                      path: "app.environment[0].name", contains: "not a valid environment variable name")
        assertInvalid(manifest(app: app(#""environment":[{"name":"A=B","value":"1"}]"#)),
                      path: "app.environment[0].name", contains: "not a valid environment variable name")
    }

    func testEventHandlers() {
        assertInvalid(manifest(app: app(#""eventHandlers":[{"name":"pre-stop","exec":["/x"]}]"#)),
                      path: "app.eventHandlers[0].name", contains: "pre-start")
        assertInvalid(manifest(app: app(#""eventHandlers":[{"name":"pre-start","exec":["/x"]},{"name":"pre-start","exec":["/y"]}]"#)),
                      path: "app.eventHandlers[1].name", contains: "only one")
        assertInvalid(manifest(app: app(#""eventHandlers":[{"name":"post-stop","exec":[]}]"#)),
                      path: "app.eventHandlers[0].exec", contains: "non-empty")
        assertInvalid(manifest(app: app(#""eventHandlers":[{"name":"post-stop","exec":[""]}]"#)),
                      path: "app.eventHandlers[0].exec[0]", contains: "must not be empty")
    }

    func testMountPointsAndPorts() {
        assertInvalid(manifest(app: app(#""mountPoints":[{"name":"Work","path":"/w"}]"#)),
                      path: "app.mountPoints[0].name", contains: "not a valid AC name")
        assertInvalid(manifest(app: app(#""mountPoints":[{"name":"work","path":"w"}]"#)),
                      path: "app.mountPoints[0].path", contains: "absolute")
        assertInvalid(manifest(app: app(#""mountPoints":[{"name":"work","path":"/a/../../etc"}]"#)),
                      path: "app.mountPoints[0].path", contains: "..")
        assertInvalid(manifest(app: app(#""mountPoints":[{"name":"work","path":"/w","readOnly":"yes"}]"#)),
                      path: "app.mountPoints[0].readOnly", contains: "expected a boolean")
        let good = #"{"name":"http","protocol":"tcp","port":80}"#
        assertInvalid(manifest(app: app(#""ports":[\#(good),{"name":"Foo","protocol":"tcp","port":81}]"#)),
                      path: "app.ports[1].name", contains: #""Foo" is not a valid AC name"#)
        assertInvalid(manifest(app: app(#""ports":[{"name":"a.b","protocol":"tcp","port":81}]"#)),
                      path: "app.ports[0].name", contains: "not a valid AC name")
        assertInvalid(manifest(app: app(#""ports":[{"name":"http","protocol":"tcp","port":0}]"#)),
                      path: "app.ports[0].port", contains: "out of range")
        assertInvalid(manifest(app: app(#""ports":[{"name":"http","protocol":"tcp","port":65536}]"#)),
                      path: "app.ports[0].port", contains: "out of range")
        assertInvalid(manifest(app: app(#""ports":[{"name":"http","protocol":"tcp","port":65000,"count":1000}]"#)),
                      path: "app.ports[0].count", contains: "65535")
        assertInvalid(manifest(app: app(#""ports":[{"name":"http","port":80}]"#)),
                      path: "app.ports[0].protocol", contains: "is required")
        assertInvalid(manifest(app: app(#""ports":[\#(good),\#(good)]"#)),
                      path: "app.ports[1].name", contains: "duplicate port")
        assertInvalid(manifest(app: app(#""ports":[{"name":"http","protocol":"tcp","port":"80"}]"#)),
                      path: "app.ports[0].port", contains: "expected an integer")
    }

    func testIsolators() {
        func isolator(_ name: String, _ value: String) -> String {
            manifest(app: app(#""isolators":[{"name":"\#(name)","value":\#(value)}]"#))
        }
        assertInvalid(isolator("resource/memory", #"{"limit":"lots"}"#), path: "app.isolators[0].value.limit", contains: "quantity")
        assertInvalid(isolator("resource/memory", #"{"limit":"-1G"}"#), path: "app.isolators[0].value.limit", contains: "negative")
        assertInvalid(isolator("resource/cpu", #"{"limit":"1","default":true}"#), path: "app.isolators[0].value.default", contains: "false")
        assertInvalid(isolator("resource/block-bandwidth", #"{"limit":"1M"}"#), path: "app.isolators[0].value.default", contains: "true")
        assertInvalid(isolator("resource/block-iops", #"{"default":true,"request":"5","limit":"10"}"#),
                      path: "app.isolators[0].value.request")
        assertInvalid(isolator("os/linux/capabilities-retain-set", #"{"set":[]}"#), path: "app.isolators[0].value.set", contains: "non-empty")
        assertInvalid(isolator("os/linux/capabilities-remove-set", #"["CAP_KILL"]"#), path: "app.isolators[0].value", contains: "expected an object")
        assertInvalid(isolator("os/linux/seccomp-retain-set", #"{"set":["read"],"errno":"enotsup"}"#),
                      path: "app.isolators[0].value.errno", contains: "upper-case")
        assertInvalid(isolator("os/linux/seccomp-remove-set", #"{"errno":"EPERM"}"#), path: "app.isolators[0].value.set", contains: "non-empty")
        assertInvalid(isolator("os/linux/no-new-privileges", #""true""#), path: "app.isolators[0].value", contains: "expected a boolean")
        assertInvalid(isolator("os/linux/oom-score-adj", "1001"), path: "app.isolators[0].value", contains: "out of range")
        assertInvalid(isolator("os/linux/cpu-shares", "1"), path: "app.isolators[0].value", contains: "out of range")
        assertInvalid(isolator("os/linux/selinux-context", #"{"user":"a:b","role":"r","type":"t","level":"s0"}"#),
                      path: "app.isolators[0].value.user", contains: ":")
        assertInvalid(isolator("os/unix/sysctl", #"{"net.ipv4.ip_forward":1}"#),
                      path: "app.isolators[0].value.net.ipv4.ip_forward", contains: "expected a string")
        assertInvalid(isolator("Resource/CPU", "{}"), path: "app.isolators[0].name", contains: "AC identifier")
        assertInvalid(manifest(app: app(#""isolators":[{"name":"resource/cpu"}]"#)), path: "app.isolators[0].value", contains: "is required")

        let retain = #"{"name":"os/linux/seccomp-retain-set","value":{"set":["read"]}}"#
        let remove = #"{"name":"os/linux/seccomp-remove-set","value":{"set":["reboot"]}}"#
        assertInvalid(manifest(app: app(#""isolators":[\#(retain),\#(remove)]"#)),
                      path: "app.isolators[1].name", contains: "cannot be combined")
        assertInvalid(manifest(app: app(#""isolators":[\#(retain),\#(retain)]"#)),
                      path: "app.isolators[1].name", contains: "only one")
    }

    func testDependencies() {
        assertInvalid(manifest(extra: #""dependencies":[{"imageID":"\#(Self.id)"}]"#), path: "dependencies[0].imageName", contains: "is required")
        assertInvalid(manifest(extra: #""dependencies":[{"imageName":"a","imageID":"sha256-00"}]"#),
                      path: "dependencies[0].imageID", contains: "not an image ID")
        assertInvalid(manifest(extra: #""dependencies":[{"imageName":"a","size":-5}]"#), path: "dependencies[0].size", contains: "out of range")
        assertInvalid(manifest(extra: #""dependencies":[{"imageName":"a","labels":[{"name":"os","value":"beos"}]}]"#),
                      path: "dependencies[0].labels[0].value", contains: "bad os")
    }

    func testRelativeAndMissingExecAreAllowed() throws {
        // appc 0.8.11: exec is optional, and exec[0] is resolved like exec(3) (PATH for bare names).
        let bare = try ImageManifest(jsonData: Data(manifest(app: #"{"exec":["sh","-c","true"],"user":"0","group":"0"}"#).utf8))
        XCTAssertEqual(bare.app?.execNeedsPathLookup, true)
        let relative = try ImageManifest(jsonData: Data(manifest(app: #"{"exec":["./run"],"user":"0","group":"0"}"#).utf8))
        XCTAssertEqual(relative.app?.execNeedsPathLookup, false)
        let none = try ImageManifest(jsonData: Data(manifest(app: #"{"user":"0","group":"0"}"#).utf8))
        XCTAssertEqual(none.app?.exec, [])
        XCTAssertEqual(try ImageManifest(jsonData: none.jsonData()), none)
    }

    func testUnknownIsolatorIsKeptVerbatim() throws {
        let value = #"{"z":[1,2.50,{"b":null}],"a":"x"}"#
        let json = manifest(app: app(#""isolators":[{"name":"example.com/custom","value":\#(value)}]"#))
        let image = try ImageManifest(jsonData: Data(json.utf8))
        let isolator = try XCTUnwrap(image.app?.isolators.first)
        XCTAssertNil(isolator.known)
        XCTAssertEqual(isolator.value.serialized(pretty: false), value)
        XCTAssertTrue(String(decoding: try image.jsonData(), as: UTF8.self).contains(value))
    }
}
