import Foundation

/// Progress of one long piece of work of unknown total (an https download, a large import) on stderr, as
/// `TransferProgress` shows it: redrawn in place on a terminal, a line every few seconds otherwise.
final class ProgressReporter {
    private let label: String
    private let transfer: TransferProgress
    private let interactive: Bool
    private var shownAny = false
    private var lastBytes: Int64 = 0
    /// Work below this size shows nothing.
    static let threshold: Int64 = 1 << 20

    init(label: String, interactive: Bool = Console.standardErrorIsTerminal, transfer: TransferProgress? = nil) {
        self.label = label
        self.interactive = interactive
        self.transfer = transfer ?? TransferProgress(interactive: interactive)
    }

    func update(_ bytes: Int64) {
        lastBytes = bytes
        guard bytes >= Self.threshold else { return }
        transfer.update(label, bytes, 0)
        shownAny = true
    }

    /// On a terminal the in-place line ends with the final size (`bytes`, else the last update's).
    func finish(_ bytes: Int64? = nil) {
        guard shownAny, interactive else { return }
        let final = bytes ?? lastBytes
        transfer.update(label, final, final)
        transfer.finishLine()
    }
}
