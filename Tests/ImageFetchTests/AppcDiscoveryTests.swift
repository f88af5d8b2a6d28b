@testable import ImageFetch
import XCTest

final class AppcDiscoveryTests: XCTestCase {
    func testMetaTagsAndTemplates() {
        let html = """
            <head><META content='example.com/app https://example.com/{name}-{version}-{os}-{arch}.{ext}' name="ac-discovery"/>
            <meta name="ac-discovery-pubkeys" content="example.com https://example.com/keys.asc">
            <meta name="description" content="not discovery at all">
            <meta name="ac-discovery" content="only-one-part">
            """
        let tags = AppcDiscovery.metaTags(in: html)
        XCTAssertEqual(tags.count, 2)
        XCTAssertEqual(tags[0], AppcDiscovery.MetaTag(name: "ac-discovery", prefix: "example.com/app",
                                                      value: "https://example.com/{name}-{version}-{os}-{arch}.{ext}"))
        let values = ["name": "example.com/app", "version": "1.0", "os": "linux", "arch": "amd64", "ext": "aci"]
        XCTAssertEqual(AppcDiscovery.fill(tags[0].value, values), "https://example.com/example.com/app-1.0-linux-amd64.aci")
        XCTAssertNil(AppcDiscovery.fill("https://x/{name}-{channel}.{ext}", values), "a label without a value")
        XCTAssertNil(AppcDiscovery.fill("https://x/{name", values))
    }

    func testChallengeHeaderParsing() {
        let bearer = AuthenticationChallenge(header: #"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull""#)
        XCTAssertEqual(bearer?.scheme, "Bearer")
        XCTAssertEqual(bearer?.parameters["realm"], "https://auth.example.com/token")
        XCTAssertEqual(bearer?.parameters["scope"], "repository:a/b:pull")
        XCTAssertEqual(AuthenticationChallenge(header: "Basic realm=\"x\"")?.parameters["realm"], "x")
        XCTAssertNil(AuthenticationChallenge(header: "Bearer realm=\"unterminated"))
        XCTAssertNil(AuthenticationChallenge(header: ""))
    }
}
