@testable import Stage0
import XCTest

/// Issue 21: fetch progress redrawn in place on a terminal at most 10 times a second, with bytes, total and
/// rate; a line every few seconds otherwise (so quick transfers in tests print nothing).
final class TransferProgressTests: XCTestCase {
    private final class Recorder {
        var now = 0.0
        var written: [String] = []
    }

    private func progress(interactive: Bool, _ recorder: Recorder) -> TransferProgress {
        TransferProgress(interactive: interactive, clock: { recorder.now }, write: { recorder.written.append($0) })
    }

    func testTerminalRedrawsInPlaceAtMostTenTimesASecond() {
        let recorder = Recorder()
        let progress = progress(interactive: true, recorder)
        let mib: Int64 = 1 << 20
        for step in 0..<20 {            // 20 updates over 0.19 s: drawn at 0, 0.1 (and the completed one)
            recorder.now = Double(step) * 0.01
            progress.update("layer 1/1 abc", Int64(step) * mib, 40 * mib)
        }
        XCTAssertEqual(recorder.written.count, 2, "\(recorder.written)")
        XCTAssertTrue(recorder.written.allSatisfy { $0.hasPrefix("\r\u{1B}[K") })
        XCTAssertEqual(recorder.written[1], "\r\u{1B}[Klayer 1/1 abc: 10MiB / 40MiB (25%), 100MiB/s")
        recorder.now = 0.195
        progress.update("layer 1/1 abc", 40 * mib, 40 * mib)
        XCTAssertEqual(recorder.written.count, 3, "the completed transfer is always drawn")
        progress.finishLine()
        XCTAssertEqual(recorder.written.last, "\n")
    }

    func testWithoutATerminalALineEveryFewSeconds() {
        let recorder = Recorder()
        let progress = progress(interactive: false, recorder)
        for second in 0...12 {
            recorder.now = Double(second)
            progress.update("downloading x", Int64(second) << 20, 0)
        }
        XCTAssertEqual(recorder.written, ["downloading x: 5.0MiB, 1.0MiB/s\n", "downloading x: 10MiB, 1.0MiB/s\n"])
        let quick = Recorder()
        let silent = self.progress(interactive: false, quick)
        silent.update("layer", 64 << 20, 64 << 20)
        silent.finishLine()
        XCTAssertEqual(quick.written, [], "a quick transfer prints nothing")
    }
}
