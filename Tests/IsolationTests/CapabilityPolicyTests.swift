import AppC
import XCTest
@testable import Isolation

final class CapabilityPolicyTests: XCTestCase {
    func testDefaultSetIsRktsFourteen() throws {
        let policy = try CapabilityPolicy(isolators: [], app: "a")
        XCTAssertEqual(policy.retained, [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31])
        XCTAssertEqual(policy.mask, 0xa804_25fb)
    }

    func testRetainReplacesAndRemoveReduces() throws {
        let retained = try CapabilityPolicy(isolators: [try Isolator(.capabilitiesRetainSet(["CAP_NET_ADMIN", "cap_kill"]))], app: "a")
        XCTAssertEqual(retained.retained, [5, 12])
        let removed = try CapabilityPolicy(isolators: [try Isolator(.capabilitiesRemoveSet(["CAP_KILL", "CAP_SYS_ADMIN"]))], app: "a")
        XCTAssertEqual(removed.mask, 0xa804_25fb & ~(1 << 5))
    }

    func testUnknownCapabilityIsNamed() {
        XCTAssertThrowsError(try CapabilityPolicy(isolators: [try Isolator(.capabilitiesRetainSet(["CAP_WIZARDRY"]))], app: "web")) {
            XCTAssertEqual("\($0)", "app web: unknown capability \"CAP_WIZARDRY\"")
        }
    }
}
