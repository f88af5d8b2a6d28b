import Foundation
import ImageStore
import ImageTestSupport
import LinuxSupport
import XCTest

/// Several `rkt` processes working on one store at once must leave it consistent: every index row has its blob
/// and that blob hashes to the row's key, no blob lacks a row, and nothing is left in the temporary directory.
final class ConcurrentStoreTests: RktTestCase {
    private func makeImages(_ count: Int) throws -> [String] {
        // A few MiB each, so the imports overlap in time.
        let filler = String(repeating: "0123456789abcdef", count: 1 << 17)
        return try (0..<count).map { index in
            try fixture.makeACI("img\(index)", manifest: ACIFixture.manifest(name: "example.com/img\(index)"),
                                files: ["data": filler + "\(index)"])
        }
    }

    private func assertConsistent(file: StaticString = #filePath, line: UInt = #line) throws {
        let store = try ImageStore(dataDirectory: rkt.root + "/data")
        let records = try store.images()
        var blobs: [String] = []
        for fanout in try FileSystem.entries(of: store.layout.blobs) {
            blobs += try FileSystem.entries(of: store.layout.blobs + "/" + fanout)
        }
        XCTAssertEqual(Set(blobs), Set(records.map(\.key)), "blobs and index rows agree", file: file, line: line)
        for record in records {
            let sum = try ACIFixture.sha512sum(store.layout.blobPath(key: record.key))
            XCTAssertEqual("sha512-" + sum.prefix(64), record.key, file: file, line: line)
        }
        XCTAssertEqual(try FileSystem.entries(of: store.layout.temporary), [], file: file, line: line)
    }

    private func runConcurrently(_ commands: [[String]]) throws -> [(Int32, String, String)] {
        let started = try commands.map { try rkt.start($0) }
        return started.map { process, out, err in
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: outData, as: UTF8.self),
                    String(decoding: errData, as: UTF8.self))
        }
    }

    func testConcurrentFetchesOfDifferentAndSameImages() throws {
        let images = try makeImages(3)
        let commands = [images[0], images[1], images[2], images[0], images[0], images[1]].map {
            ["fetch", "--insecure-options=image", $0]
        }
        let results = try runConcurrently(commands)
        for (status, _, stderr) in results { XCTAssertEqual(status, 0, stderr) }
        XCTAssertEqual(results[0].1, results[3].1, "the same image gets the same key")
        XCTAssertEqual(results[0].1, results[4].1)
        XCTAssertEqual(try ImageStore(dataDirectory: rkt.root + "/data").images().count, 3)
        try assertConsistent()
    }

    func testRemoveRacingFetchLeavesAConsistentStore() throws {
        let image = try makeImages(1)[0]
        let key = try rkt.run(["fetch", "--insecure-options=image", image]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for _ in 0..<4 {
            let results = try runConcurrently([
                ["fetch", "--insecure-options=image", image],
                ["image", "rm", key],
                ["fetch", "--insecure-options=image", image],
            ])
            XCTAssertEqual(results[0].0, 0, results[0].2)
            XCTAssertEqual(results[2].0, 0, results[2].2)
            // rm either removed the image or (having lost the race to nothing) found it gone: never a crash.
            XCTAssertTrue([0, 254].contains(results[1].0), results[1].2)
            try assertConsistent()
        }
    }
}
