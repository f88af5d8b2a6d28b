import Pods
import XCTest

final class Stage1InvocationTests: XCTestCase {
    enum Entrypoint: String { case run, enter, gc, stop }

    func testEntrypointFromArgv0OrFirstArgument() {
        let linked = Stage1Invocation<Entrypoint>(["/pod/stage1/rootfs/kvm/enter", "--pid=1", "--", "/bin/sh"])
        XCTAssertEqual(linked.entrypoint, .enter)
        XCTAssertEqual(linked.arguments, ["--pid=1", "--", "/bin/sh"])
        let named = Stage1Invocation<Entrypoint>(["/usr/bin/stage1-kvm", "gc", "UUID"])
        XCTAssertEqual(named.entrypoint, .gc)
        XCTAssertEqual(named.arguments, ["UUID"])
        let unknown = Stage1Invocation<Entrypoint>(["stage1-kvm", "frobnicate"])
        XCTAssertNil(unknown.entrypoint)
        XCTAssertEqual(unknown.name, "stage1-kvm")
        XCTAssertEqual(unknown.arguments, ["frobnicate"])
    }
}
