import LinuxSupport
@testable import Pods
import XCTest

final class PodRepositoryTests: XCTestCase {
    var scratch: Scratch!
    var repository: PodRepository!

    override func setUpWithError() throws {
        scratch = try Scratch()
        repository = try PodRepository(dataDirectory: scratch.path)
    }

    override func tearDown() {
        scratch.cleanUp()
    }

    func testCreateMakesALockedEmbryo() throws {
        let pod = try repository.create()
        XCTAssertTrue(PodUUID.isValid(pod.uuid))
        XCTAssertEqual(pod.location, .embryo)
        XCTAssertTrue(FileSystem.isDirectory(scratch.path + "/pods/embryo/" + pod.uuid))
        // Another open file description (another rkt process) sees the lock.
        let other = try repository.find(pod.uuid)
        XCTAssertTrue(try other.isLockedByOther())
        XCTAssertEqual(try other.state(), .embryo)
    }

    func testStateFollowsDirectoryAndLock() throws {
        let pod = try repository.create()
        try pod.move(to: .prepare)
        let observer = try repository.find(pod.uuid)
        XCTAssertEqual(try observer.state(), .preparing)
        try pod.move(to: .run)
        XCTAssertEqual(try observer.state(), .running, "locked in run/ is running")
        try pod.unlock()
        XCTAssertEqual(try observer.state(), .exited, "unlocked in run/ is exited")
        XCTAssertTrue(try observer.tryLock(.exclusive))
        try observer.move(to: .exitedGarbage)
        XCTAssertEqual(try pod.state(), .deleting, "the first handle follows the rename; the lock is held by the observer")
        try observer.unlock()
        XCTAssertEqual(try pod.state(), .exitedGarbage)
    }

    func testAbortedPrepareWhenTheCreatorIsGone() throws {
        var pod: Pod? = try repository.create()
        let uuid = pod!.uuid
        try pod!.move(to: .prepare)
        pod = nil // closing the descriptor releases the lock, as a crashed rkt would
        XCTAssertEqual(try repository.find(uuid).state(), .abortedPrepare)
    }

    func testFindByUniquePrefixAndAmbiguity() throws {
        let first = try repository.create(uuid: "aaaaaaaa-0000-4000-8000-000000000001")
        _ = try repository.create(uuid: "aaaaaaaa-0000-4000-8000-000000000002")
        _ = try repository.create(uuid: "bbbbbbbb-0000-4000-8000-000000000003")
        XCTAssertEqual(try repository.find("bbbb").uuid, "bbbbbbbb-0000-4000-8000-000000000003")
        XCTAssertEqual(try repository.find(first.uuid).uuid, first.uuid)
        XCTAssertThrowsError(try repository.find("aaaa")) { error in
            guard case PodError.ambiguous(let prefix, let candidates) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(prefix, "aaaa")
            XCTAssertEqual(candidates.count, 2)
        }
        XCTAssertThrowsError(try repository.find("cccc")) { XCTAssertEqual($0 as? PodError, .notFound("cccc")) }
        XCTAssertThrowsError(try repository.find("../etc")) { XCTAssertEqual($0 as? PodError, .invalidUUID("../etc")) }
    }

    func testListingSkipsForeignEntries() throws {
        _ = try repository.create()
        let other = try repository.create()
        try other.move(to: .prepared)
        try Data().write(to: URL(fileURLWithPath: scratch.path + "/pods/run/not-a-uuid"))
        let all = try repository.all()
        XCTAssertEqual(all.count, 2)
        XCTAssertEqual(Set(all.map(\.location)), [.embryo, .prepared])
    }

    func testTouchSetsTheMarkTime() throws {
        let pod = try repository.create()
        try pod.touch()
        XCTAssertLessThan(abs(try pod.modificationTime().timeIntervalSinceNow), 5)
    }
}

final class PodRepositoryPathTests: XCTestCase {
    func testRelativeDataDirectoryBecomesAbsolute() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(scratch.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let repository = try PodRepository(dataDirectory: "data")
        XCTAssertTrue(repository.layout.pods.hasPrefix("/"), repository.layout.pods)
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.path + "/data/pods/run"))
    }
}
