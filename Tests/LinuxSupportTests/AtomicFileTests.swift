import Glibc
import LinuxSupport
import XCTest

final class AtomicFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/rkt-atomicfile-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw SystemError.current("mkdtemp") }
        directory = String(cString: template)
    }

    override func tearDown() {
        _ = system("rm -rf '\(directory)'")
    }

    private func contents(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SystemError.current("open", path: path) }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            result += buffer[0..<n]
        }
        return result
    }

    private func entries() -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func testWriteReplacesContentAndLeavesNoTemporaryFile() throws {
        let path = directory + "/file"
        try AtomicFile.write(Array("first".utf8), to: path)
        try AtomicFile.write(Array("second".utf8), to: path)
        XCTAssertEqual(try contents(path), Array("second".utf8))
        XCTAssertEqual(entries(), ["file"])
    }

    func testFailedWriteLeavesOldContentAndNoTemporaryFile() throws {
        let path = directory + "/file"
        try AtomicFile.write(Array("old".utf8), to: path)
        // Renaming a regular file over a non-empty directory fails, after the temporary was written.
        let blocked = directory + "/dir"
        mkdir(blocked, 0o755)
        try AtomicFile.write(Array("x".utf8), to: blocked + "/inner")
        XCTAssertThrowsError(try AtomicFile.write(Array("new".utf8), to: blocked))
        XCTAssertEqual(try contents(path), Array("old".utf8))
        XCTAssertEqual(entries(), ["dir", "file"])
    }

    func testParentDirectory() {
        XCTAssertEqual(AtomicFile.parentDirectory(of: "/a/b/c"), "/a/b")
        XCTAssertEqual(AtomicFile.parentDirectory(of: "/a"), "/")
        XCTAssertEqual(AtomicFile.parentDirectory(of: "a"), ".")
    }
}
