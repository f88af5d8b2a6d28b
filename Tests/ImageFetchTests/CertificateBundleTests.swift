import Foundation
@testable import ImageFetch
import ImageTestSupport
import XCTest

/// certs.d files: what is accepted as CA certificates and how a bad file is reported (always by its path).
final class CertificateBundleTests: XCTestCase {
    private var fixture: ACIFixture!
    private var authority: TestCertificateAuthority!

    override func setUpWithError() throws {
        if let missing = TestCertificateAuthority.missingTools { throw XCTSkip(missing) }
        fixture = try ACIFixture()
        authority = try TestCertificateAuthority(directory: fixture.directory + "/ca")
    }

    override func tearDown() {
        fixture?.cleanUp()
    }

    private func write(_ text: String, to name: String, in directory: String = "certs.d") throws -> String {
        let folder = fixture.directory + "/" + directory
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private var caPEM: String { (try? String(contentsOfFile: authority.certificate, encoding: .utf8)) ?? "" }

    func testDirectoriesInOrderWithCommentsAndCRLFAndOnlyPemAndCrtFiles() throws {
        _ = try write("# our CA\r\n" + caPEM.replacingOccurrences(of: "\n", with: "\r\n"), to: "b.crt")
        _ = try write(caPEM + "\n" + (try String(contentsOfFile: authority.serverCertificate, encoding: .utf8)), to: "a.pem")
        _ = try write("not a certificate", to: "notes.txt")
        _ = try write(caPEM, to: "z.pem", in: "system/certs.d")
        let bundle = try CertificateBundle(directories: [fixture.directory + "/system/certs.d", fixture.directory + "/missing",
                                                         fixture.directory + "/certs.d"])
        XCTAssertEqual(bundle.files.map { ($0 as NSString).lastPathComponent }, ["z.pem", "a.pem", "b.crt"])
        XCTAssertEqual(bundle.count, 4)
        XCTAssertEqual(bundle.pem.components(separatedBy: "-----BEGIN CERTIFICATE-----\n").count - 1, 4)
        XCTAssertTrue(CertificateBundle().isEmpty)
        XCTAssertEqual(try CertificateBundle(directories: [fixture.directory + "/nothing-here"]), CertificateBundle())
    }

    func testMalformedFilesAreErrorsNamingTheFile() throws {
        let body = caPEM.components(separatedBy: "\n").filter { !$0.hasPrefix("-----") && !$0.isEmpty }
        let cases: [(String, String, String)] = [
            ("empty.pem", "", "no PEM certificate"),
            ("text.pem", "hello\n", "no PEM certificate"),
            ("open.pem", "-----BEGIN CERTIFICATE-----\n" + body.joined(separator: "\n") + "\n", "has no END line"),
            ("key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "CA certificates (-----BEGIN CERTIFICATE-----) only"),
            ("base64.pem", "-----BEGIN CERTIFICATE-----\n@@not base64@@\n-----END CERTIFICATE-----\n", "not valid base64"),
            ("der.pem", "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n", "not a DER X.509 certificate"),
            ("trailing.pem", "-----BEGIN CERTIFICATE-----\n" + Data(Array(try Data(base64Encoded: body.joined())!) + [0, 0]).base64EncodedString()
                + "\n-----END CERTIFICATE-----\n", "not a DER X.509 certificate"),
            ("mismatch.pem", "-----BEGIN CERTIFICATE-----\n" + body.joined(separator: "\n") + "\n-----END X509 CRL-----\n", "does not close"),
            ("nested.pem", "-----BEGIN CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n", "-----BEGIN inside the block"),
            ("second-bad.pem", caPEM + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "certificate on line"),
        ]
        for (name, text, expected) in cases {
            let path = try write(text, to: name, in: "bad-" + name)
            XCTAssertThrowsError(try CertificateBundle(directories: [fixture.directory + "/bad-" + name]), name) { error in
                XCTAssertTrue("\(error)".hasPrefix(path + ": "), "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "\(name): \(error)")
            }
        }
    }

    func testOversizedAndNonRegularFilesAreRefused() throws {
        let big = try write(String(repeating: "#", count: CertificateBundle.maximumFileSize + 1), to: "big.pem", in: "big")
        XCTAssertThrowsError(try CertificateBundle(directories: [fixture.directory + "/big"])) { error in
            XCTAssertEqual("\(error)", "\(big): larger than \(CertificateBundle.maximumFileSize) bytes; not a certificate file")
        }
        try FileManager.default.createDirectory(atPath: fixture.directory + "/dir/certs.d/sub.pem", withIntermediateDirectories: true)
        XCTAssertThrowsError(try CertificateBundle(directories: [fixture.directory + "/dir/certs.d"])) { error in
            XCTAssertEqual("\(error)", fixture.directory + "/dir/certs.d/sub.pem: not a regular file")
        }
        try FileManager.default.createSymbolicLink(atPath: fixture.directory + "/link.pem", withDestinationPath: fixture.directory + "/gone")
        var bundle = CertificateBundle()
        XCTAssertThrowsError(try bundle.add(file: fixture.directory + "/link.pem")) { error in
            XCTAssertTrue("\(error)".contains("link.pem: No such file or directory"), "\(error)")
        }
    }
}
