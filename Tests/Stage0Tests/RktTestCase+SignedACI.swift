import Foundation
import ImageTestSupport
import XCTest

extension RktTestCase {
    /// A signed ACI named `name` placed at `relative` under the directory `served` (what a test server serves),
    /// with its `.asc` beside it; the signing key is trusted for `name`.
    func publishSignedACI(_ name: String, at relative: String, under served: String, keys: GnuPGTestKeys) throws {
        let key = try keys.generateKey(userID: "Signer <s@example.com>", algorithm: "ed25519")
        let aci = try fixture.makeACI("app", manifest: ACIFixture.manifest(name: name, version: "1.0"), files: ["bin/hello": "hi"])
        let destination = served + "/" + relative
        try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: aci, toPath: destination)
        try keys.sign(destination, with: key, output: destination + ".asc")
        let keyFile = fixture.directory + "/key.asc"
        try? FileManager.default.removeItem(atPath: keyFile)
        try keys.exportPublicKey(key, to: keyFile)
        let trusted = try rkt.run(["trust", "--prefix=\(name)", "--skip-fingerprint-review", keyFile])
        XCTAssertEqual(trusted.status, 0, trusted.stderr)
    }
}
