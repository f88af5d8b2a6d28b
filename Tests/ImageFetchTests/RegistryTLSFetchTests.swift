import Foundation
import ImageFetch
import ImageStore
import ImageTestSupport
import XCTest

/// docker:// fetches from Debian's docker-registry serving HTTPS (HTTP/2) with a throwaway CA's certificate.
final class RegistryTLSFetchTests: XCTestCase {
    func testRegistryOverTLSWithTheCATrustedOrVerificationSkipped() throws {
        if let missing = RegistryServer.missingTools ?? TestCertificateAuthority.missingTools { throw XCTSkip(missing) }
        let fixture = try FetchFixture()
        let authority = try TestCertificateAuthority(directory: fixture.files.directory + "/ca")
        let registry = try RegistryServer(directory: fixture.files.directory, storage: fixture.files.directory + "/registry", tls: authority)
        try registry.push("oci:\(fixture.layoutPath):multi", as: "team/multi:1.0")
        let reference = "docker://\(registry.host)/team/multi:1.0"

        XCTAssertThrowsError(try fixture.fetch(reference)) { error in
            XCTAssertTrue("\(error)".contains("https://\(registry.host)/v2/team/multi/manifests/1.0"), "\(error)")
            XCTAssertTrue("\(error)".contains("certs.d"), "\(error)")
        }
        try fixture.assertStoreEmpty()

        var trusted = RegistryOptions()
        var bundle = CertificateBundle()
        try bundle.add(file: authority.certificate)
        trusted.tls.additionalCertificates = bundle
        let result = try fixture.fetch(reference, options: trusted)
        try fixture.assertMultiLayerTree(result.record)
        XCTAssertEqual(result.layersFetched, 2)

        let insecure = try fixture.fetch(reference, options: RegistryOptions(skipTLSVerification: true))
        XCTAssertEqual(insecure.manifestDigest, result.manifestDigest)
    }
}
