import GuestProtocol
import XCTest

final class GuestMessageTests: XCTestCase {
    func testEveryMessageRoundTrips() throws {
        let messages: [GuestMessage] = [
            .control, .stdout(app: "web"), .stderr(app: "web"), .ready, .started(app: "web", pid: 42),
            .exited(app: "web", status: 137), .failed(app: "web", reason: "exec /x: No such file"),
            .error("mount ext4 /dev/vdc: bad superblock"), .poweroff, .stop(graceSeconds: 10),
            .enter(token: "t-1", app: "web", command: ["/bin/sh", "-c", "echo a b"]), .wait(token: "t-1"),
            .exit(status: 3),
        ]
        for message in messages {
            let line = message.line
            XCTAssertTrue(line.hasSuffix("\n"))
            XCTAssertEqual(try GuestMessage(line: Array(line.utf8.dropLast())), message)
        }
    }

    func testHostileMessagesAreRefused() {
        for bad in ["", "hello", "exited web", "exited web x", "exited ../web 1", "started web 99999999999",
                    "stop -1", "enter t web bin/sh", "enter t web", "wait", "ready now", "stdout"] {
            XCTAssertThrowsError(try GuestMessage(line: Array(bad.utf8)), "accepted \(bad.debugDescription)")
        }
    }
}

final class GuestInterfaceTests: XCTestCase {
    func testAddressesAndNetmasks() {
        XCTAssertEqual(GuestInterface.ipv4("172.16.28.5"), [172, 16, 28, 5])
        for bad in ["172.16.28", "1.2.3.4.5", "256.1.1.1", "a.b.c.d", "1..2.3", " 1.2.3.4", "01234.1.1.1"] {
            XCTAssertNil(GuestInterface.ipv4(bad), bad)
        }
        XCTAssertEqual(GuestInterface.netmask(24), [255, 255, 255, 0])
        XCTAssertEqual(GuestInterface.netmask(0), [0, 0, 0, 0])
        XCTAssertEqual(GuestInterface.netmask(32), [255, 255, 255, 255])
        XCTAssertEqual(GuestInterface.netmask(17), [255, 255, 128, 0])
    }
}
