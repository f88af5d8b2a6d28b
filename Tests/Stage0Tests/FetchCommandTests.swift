import Foundation
import ImageTestSupport
import XCTest

final class FetchCommandTests: RktTestCase {
    private func busyboxLikeACI(_ name: String = "app") throws -> String {
        try fixture.makeACI(name, manifest: ACIFixture.manifest(name: "example.com/\(name)", version: "1.0"),
                            files: ["bin/hello": "hello", "etc/motd": "hi"])
    }

    func testUnsignedImageIsRefusedWithoutInsecureOptions() throws {
        let result = try rkt.run(["fetch", try busyboxLikeACI()])
        XCTAssertEqual(result.status, 254)
        XCTAssertTrue(result.stderr.contains("--insecure-options=image"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testFetchPrintsTheStoreKeyAndStoresOneBlobWhenRepeated() throws {
        let aci = try busyboxLikeACI()
        let expected = "sha512-" + (try ACIFixture.sha512sum(aci)).prefix(64)
        let first = try rkt.run(["fetch", "--insecure-options=image", aci])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, expected + "\n")
        let second = try rkt.run(["fetch", "--insecure-options=image", "file://" + aci])
        XCTAssertEqual(second.stdout, expected + "\n")
        let list = try rkt.run(["image", "list", "--no-legend", "--full", "--fields=id"])
        XCTAssertEqual(list.stdout, expected + "\n")
    }

    func testGlobalOptionsBeforeTheSubcommandAreAccepted() throws {
        let aci = try busyboxLikeACI()
        let fetched = try rkt.run(["--insecure-options=image", "fetch", aci], globalsFirst: true)
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        let list = try rkt.run(["image", "list", "--no-legend", "--fields=name"], globalsFirst: true)
        XCTAssertEqual(list.stdout, "example.com/app:1.0\n")
    }

    func testFetchByNameFindsTheStoredImage() throws {
        let key = try rkt.run(["fetch", "--insecure-options=image", try busyboxLikeACI()]).stdout
        let byName = try rkt.run(["fetch", "--pull-policy=never", "example.com/app:1.0"])
        XCTAssertEqual(byName.status, 0, byName.stderr)
        XCTAssertEqual(byName.stdout, key)
        let absent = try rkt.run(["fetch", "--pull-policy=never", "example.com/absent"])
        XCTAssertEqual(absent.status, 254)
        XCTAssertTrue(absent.stderr.contains("example.com/absent"), absent.stderr)
    }

    func testMissingFileAndRemoteTransportsFailWithTheirNames() throws {
        let missing = try rkt.run(["fetch", "--insecure-options=image", "/nonexistent/x.aci"])
        XCTAssertEqual(missing.status, 254)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/x.aci"), missing.stderr)
        let docker = try rkt.run(["fetch", "--insecure-options=image", "docker://busybox"])
        XCTAssertEqual(docker.status, 254)
        XCTAssertTrue(docker.stderr.contains("docker://"), docker.stderr)
    }

    func testUsageErrorsExit254AndHelpExits0() throws {
        let unknown = try rkt.run(["fetch", "--no-such-flag", "x.aci"])
        XCTAssertEqual(unknown.status, 254)
        XCTAssertTrue(unknown.stderr.contains("--no-such-flag"), unknown.stderr)
        let badInsecure = try rkt.run(["fetch", "--insecure-options=bogus", "x.aci"])
        XCTAssertEqual(badInsecure.status, 254)
        XCTAssertTrue(badInsecure.stderr.contains("bogus"), badInsecure.stderr)
        for command in [["--help"], ["fetch", "--help"], ["image", "list", "--help"], ["image", "gc", "--help"]] {
            let help = try RktProcess.execute(command)
            XCTAssertEqual(help.status, 0, "\(command)")
            XCTAssertTrue(help.stdout.contains("USAGE"), "\(command): \(help.stdout)")
        }
    }
}
