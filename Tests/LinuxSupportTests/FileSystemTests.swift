import Glibc
import LinuxSupport
import XCTest

final class FileSystemTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/rkt-filesystem-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw SystemError.current("mkdtemp") }
        directory = String(cString: template)
    }

    override func tearDown() {
        _ = system("rm -rf '\(directory)'")
    }

    func testMakeDirectoriesCreatesParentsAndIsIdempotent() throws {
        try FileSystem.makeDirectories(directory + "/a/b/c")
        try FileSystem.makeDirectories(directory + "/a/b/c")
        XCTAssertTrue(FileSystem.isDirectory(directory + "/a/b/c"))
    }

    func testMakeDirectoriesOverAFileFailsNamingThePath() throws {
        try AtomicFile.write([1], to: directory + "/file")
        XCTAssertThrowsError(try FileSystem.makeDirectories(directory + "/file")) { error in
            XCTAssertEqual((error as? SystemError)?.path, directory + "/file")
        }
    }

    func testRemoveTreeRemovesSymlinksWithoutFollowingThem() throws {
        let outside = directory + "/outside"
        try FileSystem.makeDirectories(outside)
        try AtomicFile.write([1, 2, 3], to: outside + "/keep")
        let tree = directory + "/tree"
        try FileSystem.makeDirectories(tree + "/nested/deeper")
        try AtomicFile.write([4], to: tree + "/nested/deeper/file")
        XCTAssertEqual(symlink(outside, tree + "/link-to-dir"), 0)
        XCTAssertEqual(symlink(outside + "/keep", tree + "/nested/link-to-file"), 0)

        try FileSystem.removeTree(tree)

        XCTAssertFalse(FileSystem.exists(tree))
        XCTAssertEqual(FileSystem.fileSize(outside + "/keep"), 3)
    }

    func testRemoveTreeOfMissingPathIsNotAnError() throws {
        XCTAssertNoThrow(try FileSystem.removeTree(directory + "/absent"))
    }

    func testDiskUsageCountsHardlinkedFileOnce() throws {
        try AtomicFile.write([UInt8](repeating: 7, count: 64 * 1024), to: directory + "/big")
        let single = try FileSystem.diskUsage(directory)
        XCTAssertEqual(link(directory + "/big", directory + "/big-link"), 0)
        XCTAssertEqual(try FileSystem.diskUsage(directory), single)
        XCTAssertGreaterThanOrEqual(single, 64 * 1024)
    }
}
