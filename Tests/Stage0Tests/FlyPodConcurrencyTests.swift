import Foundation
import XCTest

/// End to end: many `rkt` processes at once, no daemon (root only).
final class FlyPodConcurrencyTests: XCTestCase {
    private var pods: PodHarness!

    override func setUpWithError() throws {
        pods = try PodHarness(.fly)
    }

    override func tearDown() {
        pods?.cleanUp()
    }

    func testTwentyConcurrentPodsWithConcurrentGarbageCollection() throws {
        // Put the stage1 in the store once, so the pods below find it by name.
        XCTAssertEqual(try pods.runPod(["--exec", "/bin/true"]).status, 0)
        XCTAssertEqual(try pods.run(["gc", "--grace-period=0s"]).status, 0)

        let count = 20
        let results = ResultBox(count: count)
        let group = DispatchGroup()
        let harness: PodHarness = pods
        for index in 0..<count {
            DispatchQueue.global().async(group: group) {
                let result = try? harness.run([
                    "run", "--stage1-name=coreos.com/rkt/stage1-fly", "example.com/busybox",
                    "--name=pod\(index)", "--exec", "/bin/sh", "--", "-c", "echo pod \(index); exit \(index)",
                ])
                results.set(index, result)
            }
        }
        var collections = 0
        while group.wait(timeout: .now()) == .timedOut {
            let gc = try pods.run(["gc", "--grace-period=0s"])
            XCTAssertEqual(gc.status, 0, gc.stderr)
            collections += 1
        }
        XCTAssertGreaterThan(collections, 0)

        for index in 0..<count {
            let result = try XCTUnwrap(results.get(index), "pod \(index) did not run")
            XCTAssertEqual(result.status, Int32(index), "pod \(index): \(result.stderr)")
            XCTAssertEqual(result.stdout, "pod \(index)\n")
        }
        let finalGC = try pods.run(["gc", "--grace-period=0s"])
        XCTAssertEqual(finalGC.status, 0, finalGC.stderr)
        XCTAssertEqual(pods.podDirectories().values.flatMap { $0 }, [], "every pod was collected")
        XCTAssertEqual(try pods.mountsBelowDataDirectory(), [], "no mount leaked")
        XCTAssertEqual(try locksHeld(), [], "no lock is still held")
    }

    /// Lock files under the data directory that another process still holds (flock would block).
    private func locksHeld() throws -> [String] {
        var held: [String] = []
        for directory in ["cas/treestorelocks", "cas/imagelocks"] {
            let path = pods.dataDirectory + "/" + directory
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                let fd = open(path + "/" + name, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { continue }
                if flock(fd, LOCK_EX | LOCK_NB) != 0 { held.append(name) }
                close(fd)
            }
        }
        return held
    }
}

private final class ResultBox: @unchecked Sendable {
    private var results: [RktProcess.Result?]
    private let lock = NSLock()

    init(count: Int) {
        results = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ result: RktProcess.Result?) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    func get(_ index: Int) -> RktProcess.Result? {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}
