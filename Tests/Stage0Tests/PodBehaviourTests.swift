import Foundation
import XCTest

/// One table of pod behaviours (environment, user, working directory, volumes, exit codes) run against every
/// stage1 flavor, so the flavors cannot drift apart. Each row is one `rkt run` of the busybox image.
final class PodBehaviourTests: XCTestCase {
    struct Case {
        let name: String
        var podFlags: [String] = []
        let appArguments: [String]
        let stdout: String
        var status: Int32 = 0
    }

    static let cases: [Case] = [
        Case(name: "environment", appArguments: ["--environment=GREETING=hello world", "--exec", "/bin/sh", "--", "-c",
                                                 "echo \"$GREETING\" $AC_APP_NAME"],
             stdout: "hello world busybox\n"),
        Case(name: "user and group", appArguments: ["--user=1234", "--group=2345", "--exec", "/bin/sh", "--", "-c", "id -u; id -g"],
             stdout: "1234\n2345\n"),
        Case(name: "working directory", appArguments: ["--working-dir=/etc", "--exec", "/bin/pwd"], stdout: "/etc\n"),
        Case(name: "empty volume", podFlags: ["--volume=data,kind=empty"],
             appArguments: ["--mount=volume=data,target=/data", "--exec", "/bin/sh", "--", "-c",
                            "echo kept > /data/file && cat /data/file"],
             stdout: "kept\n"),
        Case(name: "no overlay", podFlags: ["--no-overlay"],
             appArguments: ["--exec", "/bin/sh", "--", "-c", "echo copied > /etc/written && cat /etc/written"], stdout: "copied\n"),
        Case(name: "exit code", appArguments: ["--exec", "/bin/sh", "--", "-c", "echo before; exit 42"], stdout: "before\n", status: 42),
        Case(name: "killed by a signal", appArguments: ["--exec", "/bin/sh", "--", "-c", "kill -KILL $$"], stdout: "",
             status: 128 + SIGKILL),
    ]

    func testFlyFlavor() throws { try runTable(.fly) }

    func testNamespaceFlavor() throws { try runTable(.coreos) }

    func testKvmFlavor() throws { try runTable(.kvm) }

    private func runTable(_ flavor: Stage1Flavor) throws {
        let pods = try PodHarness(flavor)
        defer { pods.cleanUp() }
        for row in Self.cases {
            let result = try pods.runPod(row.appArguments, podFlags: row.podFlags)
            XCTAssertEqual(result.status, row.status, "\(flavor.rawValue), \(row.name): \(result.stderr)")
            XCTAssertEqual(result.stdout, row.stdout, "\(flavor.rawValue), \(row.name)")
        }
    }
}
