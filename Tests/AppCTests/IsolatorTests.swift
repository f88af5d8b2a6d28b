import AppC
import Foundation
import XCTest

final class IsolatorTests: XCTestCase {
    private func isolator(_ name: String, _ value: String) throws -> Isolator {
        try Isolator(name: try ACIdentifier(name), value: try JSONValue(parsing: Data(value.utf8)))
    }

    func testKnownIsolatorsDecode() throws {
        XCTAssertEqual(try isolator("os/linux/no-new-privileges", "true").known, .noNewPrivileges(true))
        XCTAssertEqual(try isolator("os/linux/oom-score-adj", "-1000").known, .oomScoreAdj(-1000))
        XCTAssertEqual(try isolator("os/linux/cpu-shares", "1024").known, .cpuShares(1024))
        XCTAssertEqual(try isolator("os/linux/seccomp-remove-set", #"{"errno":"ENOTSUP","set":["clock_adjtime","reboot"]}"#).known,
                       .seccompRemoveSet(SeccompSet(syscalls: ["clock_adjtime", "reboot"], errno: "ENOTSUP")))
        XCTAssertEqual(try isolator("os/linux/seccomp-retain-set", #"{"errno":"","set":["@appc.io/all"]}"#).known,
                       .seccompRetainSet(SeccompSet(syscalls: ["@appc.io/all"])))
        XCTAssertEqual(try isolator("os/linux/seccomp-retain-set", #"{"errno":"E2BIG","set":["read"]}"#).known,
                       .seccompRetainSet(SeccompSet(syscalls: ["read"], errno: "E2BIG")))
        XCTAssertEqual(try isolator("os/linux/selinux-context", #"{"user":"system_u","role":"system_r","type":"dhcpc_t","level":"s0:c1,c2"}"#).known,
                       .selinuxContext(SELinuxContext(user: "system_u", role: "system_r", type: "dhcpc_t", level: "s0:c1,c2")))
        XCTAssertEqual(try isolator("os/unix/sysctl", #"{"net.ipv4.tcp_mtu_probing":"1"}"#).known,
                       .unixSysctl([SysctlSetting(key: "net.ipv4.tcp_mtu_probing", value: "1")]))
        guard case let .resourceBlockBandwidth(limits)? = try isolator("resource/block-bandwidth", #"{"default":true,"limit":"2M"}"#).known else {
            return XCTFail("block bandwidth not decoded")
        }
        XCTAssertEqual(limits.limit?.value, 2_000_000)
        guard case let .resourceCPU(cpu)? = try isolator("resource/cpu", #"{"limit":"500m"}"#).known else {
            return XCTFail("cpu not decoded")
        }
        XCTAssertEqual(cpu.effectiveRequest?.milliValue, 500, "request defaults to limit")
    }

    func testBuiltIsolatorsMatchDecodedOnes() throws {
        let memory = try Isolator(.resourceMemory(ResourceLimits(limit: try ResourceQuantity("1Gi"))))
        XCTAssertEqual(memory.name.value, "resource/memory")
        XCTAssertEqual(memory.value.serialized(pretty: false), #"{"limit":"1Gi"}"#)
        let caps = try Isolator(.capabilitiesRetainSet(["CAP_NET_ADMIN"]))
        XCTAssertEqual(try isolator("os/linux/capabilities-retain-set", caps.value.serialized(pretty: false)), caps)
        XCTAssertThrowsError(try Isolator(.cpuShares(1))) { error in
            XCTAssertEqual((error as? ValidationError)?.path, "value")
        }
        XCTAssertThrowsError(try Isolator(.capabilitiesRemoveSet([])))
    }

    func testUnknownIsolatorAcceptsAnyValue() throws {
        let custom = try isolator("example.com/gpu", #"[1, "two", {"three": 3}]"#)
        XCTAssertNil(custom.known)
        XCTAssertEqual(custom.value, .array([.number("1"), .string("two"), .object([("three", .number("3"))])]))
    }

    func testRepeatsAndConflicts() throws {
        let nnp = try Isolator(.noNewPrivileges(true))
        let retain = try Isolator(.capabilitiesRetainSet(["CAP_KILL"]))
        let remove = try Isolator(.capabilitiesRemoveSet(["CAP_KILL"]))
        let app = App(exec: ["/x"], user: "0", group: "0", isolators: [nnp, nnp, retain, retain])
        XCTAssertNoThrow(try app.validate())
        XCTAssertThrowsError(try App(exec: ["/x"], user: "0", group: "0", isolators: [retain, remove]).validate()) { error in
            XCTAssertEqual((error as? ValidationError)?.path, "app.isolators[1].name")
        }
        let memory = try Isolator(.resourceMemory(ResourceLimits(limit: try ResourceQuantity("1G"))))
        XCTAssertThrowsError(try App(exec: ["/x"], user: "0", group: "0", isolators: [memory, memory]).validate())
    }
}
