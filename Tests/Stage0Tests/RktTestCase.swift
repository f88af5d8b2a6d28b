import ImageTestSupport
import XCTest

/// Base of the command-line tests: each test gets a fresh `rkt` environment (data and config directories) and a
/// fresh directory for the ACIs it builds; both are removed afterwards.
class RktTestCase: XCTestCase {
    var rkt: RktProcess!
    var fixture: ACIFixture!

    override func setUpWithError() throws {
        rkt = try RktProcess()
        fixture = try ACIFixture()
    }

    override func tearDown() {
        rkt?.cleanUp()
        fixture?.cleanUp()
        super.tearDown()
    }
}
