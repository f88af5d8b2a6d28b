import Glibc
import LinuxSupport
import XCTest

final class FileLockTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/rkt-linuxsupport-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw SystemError.current("mkdtemp") }
        directory = String(cString: template)
    }

    override func tearDown() {
        _ = system("rm -rf '\(directory)'")
    }

    func testExclusiveLockExcludesSecondOpenFileDescription() throws {
        let first = try FileLock(path: directory + "/lock")
        let second = try FileLock(path: directory + "/lock")
        try first.lock(.exclusive)
        XCTAssertFalse(try second.tryLock(.shared))
        try first.unlock()
        XCTAssertTrue(try second.tryLock(.shared))
    }

    func testSharedLocksCoexistButExcludeExclusive() throws {
        let a = try FileLock(path: directory + "/lock")
        let b = try FileLock(path: directory + "/lock")
        let c = try FileLock(path: directory + "/lock")
        XCTAssertTrue(try a.tryLock(.shared))
        XCTAssertTrue(try b.tryLock(.shared))
        XCTAssertFalse(try c.tryLock(.exclusive))
    }

    func testLockIsReleasedWhenValueIsReleased() throws {
        var holder: FileLock? = try FileLock(path: directory + "/lock")
        try holder?.lock(.exclusive)
        let other = try FileLock(path: directory + "/lock")
        XCTAssertFalse(try other.tryLock(.exclusive))
        holder = nil
        XCTAssertTrue(try other.tryLock(.exclusive))
    }

    func testOpeningMissingLockWithoutCreateNamesThePath() throws {
        let path = directory + "/absent"
        XCTAssertThrowsError(try FileLock(path: path, create: false)) { error in
            XCTAssertEqual("\(error)", "open \(path): No such file or directory")
        }
    }
}
