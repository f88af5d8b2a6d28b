import Foundation

/// Progress of a transfer (a layer, a download, an import) on stderr: on a terminal one line redrawn in place
/// (`\r`), at most `redrawInterval` apart, `label: 12.0MiB / 50.0MiB (24%), 3.1MiB/s`; otherwise (a log, a
/// test capturing stderr) one such line every `lineInterval` seconds, so a quick transfer prints nothing.
final class TransferProgress {
    static let redrawInterval = 0.1
    static let lineInterval = 5.0

    private let interactive: Bool
    private let clock: () -> Double
    private let write: (String) -> Void
    private var label: String?
    private var started = 0.0
    private var lastShown = 0.0
    private var drawn = false

    init(interactive: Bool = Console.standardErrorIsTerminal, clock: @escaping () -> Double = TransferProgress.monotonicSeconds,
         write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.interactive = interactive
        self.clock = clock
        self.write = write
    }

    /// `total` ≤ 0: unknown. A new label starts a new transfer (its rate counts from now).
    func update(_ label: String, _ bytes: Int64, _ total: Int64) {
        let now = clock()
        if label != self.label {
            self.label = label
            started = now
            lastShown = interactive ? -Double.infinity : now
        }
        let complete = total > 0 && bytes >= total
        if interactive {
            guard now - lastShown >= Self.redrawInterval || complete else { return }
            write("\r\u{1B}[K" + Self.text(label, bytes, total, seconds: now - started))
            drawn = true
        } else {
            guard now - lastShown >= Self.lineInterval else { return }
            write(Self.text(label, bytes, total, seconds: now - started) + "\n")
        }
        lastShown = now
    }

    /// Ends the in-place line before an ordinary message is printed; the next update starts a new transfer.
    func finishLine() {
        label = nil
        guard drawn else { return }
        write("\n")
        drawn = false
    }

    static func text(_ label: String, _ bytes: Int64, _ total: Int64, seconds: Double) -> String {
        var text = "\(label): \(HumanFormat.size(bytes))"
        if total > 0 { text += " / \(HumanFormat.size(total)) (\(Int(100 * Double(min(bytes, total)) / Double(total)))%)" }
        if seconds > 0 { text += ", \(HumanFormat.size(Int64(Double(bytes) / seconds)))/s" }
        return text
    }

    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
