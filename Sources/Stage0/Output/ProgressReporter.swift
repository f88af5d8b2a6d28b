import Foundation

/// A progress line on stderr for long work (large imports): updated in place on a terminal, one line per
/// 64 MiB otherwise; silent for work that finishes below the threshold.
final class ProgressReporter {
    private let label: String
    private let interactive = Console.standardErrorIsTerminal
    private let threshold: Int64 = 16 << 20
    private var lastReported: Int64 = 0
    private var printedAny = false

    init(label: String) {
        self.label = label
    }

    func update(_ bytes: Int64) {
        guard bytes >= threshold else { return }
        let step: Int64 = interactive ? 4 << 20 : 64 << 20
        guard bytes - lastReported >= step else { return }
        lastReported = bytes
        printedAny = true
        let text = "\(label): \(HumanFormat.size(bytes))"
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        } else {
            Console.error(text)
        }
    }

    func finish(_ bytes: Int64) {
        guard printedAny else { return }
        let text = "\(label): \(HumanFormat.size(bytes)) done"
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)\n".utf8))
        } else {
            Console.error(text)
        }
    }
}
