import AppC
@testable import Stage0
import XCTest

/// What a stage1 flavor would refuse is refused by stage0, before a pod exists (issue 21).
final class Stage1CompatibilityTests: XCTestCase {
    private func manifest(ports: [String], declared: [String]) throws -> PodManifest {
        var app = App(exec: ["/bin/sh"], user: "0", group: "0")
        app.ports = try declared.map { Port(name: try ACName($0), protocol: "tcp", port: 80) }
        return PodManifest(apps: [RuntimeApp(name: try ACName("app"), image: RuntimeImage(name: try ACIdentifier("example.com/app"),
                                                                                          id: try ImageID("sha512-" + String(repeating: "0", count: 128))),
                                             app: app)],
                           ports: try ports.map(ExposedPort.init(parsing:)))
    }

    private func refusal(_ manifest: PodManifest, net: String = "default", flavor: String) -> String? {
        do {
            try Stage1Compatibility.check(manifest, net: net, stage1Name: "coreos.com/rkt/stage1-" + flavor)
            return nil
        } catch let failure as CommandFailure {
            XCTAssertEqual(failure.status, 254)
            return failure.message
        } catch {
            return "\(error)"
        }
    }

    func testFlyRefusesPortsKvmRefusesHostNetworkAndPortNamesMustBeDeclared() throws {
        let web = try manifest(ports: ["http:8080"], declared: ["http"])
        XCTAssertNil(refusal(web, flavor: "kvm"))
        XCTAssertNil(refusal(web, flavor: "coreos"))
        XCTAssertTrue(refusal(web, flavor: "fly")?.contains("--port=http is not available in the fly flavor") == true)
        XCTAssertNil(refusal(try manifest(ports: [], declared: ["http"]), flavor: "fly"))

        let plain = try manifest(ports: [], declared: [])
        XCTAssertTrue(refusal(plain, net: "host", flavor: "kvm")?.contains("--net=host is not available in the kvm flavor") == true)
        XCTAssertTrue(refusal(plain, net: "default,host", flavor: "kvm")?.contains("--net=host") == true)
        XCTAssertNil(refusal(plain, net: "host", flavor: "coreos"))
        XCTAssertNil(refusal(plain, net: "none", flavor: "kvm"))

        let wrong = try manifest(ports: ["nosuch:8080"], declared: ["http"])
        for flavor in ["kvm", "coreos"] {
            XCTAssertEqual(refusal(wrong, flavor: flavor), "--port=nosuch: no app of the pod declares a port named nosuch (declared: http)")
        }
        XCTAssertEqual(refusal(web, net: "none", flavor: "coreos"), "--port needs a CNI network (--net=none has none)")
    }
}
