import Foundation

/// One line redrawn in place on a terminal while a layer downloads: `label [=====>    ] 12.0 MiB / 50.0 MiB`.
final class LayerProgressBar {
    private var drawn = false
    private var lastBytes: Int64 = -1
    private let width = 30

    func update(_ label: String, _ bytes: Int64, _ total: Int64) {
        guard bytes - lastBytes >= 256 << 10 || bytes == total else { return }
        lastBytes = bytes
        let filled = total > 0 ? Int(Double(width) * Double(min(bytes, total)) / Double(total)) : width
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" + String(repeating: " ", count: width - filled - 1) : "")
        let text = "\(label) [\(bar)] \(HumanFormat.size(bytes)) / \(HumanFormat.size(total))"
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        drawn = true
    }

    /// Ends the in-place line before an ordinary message is printed.
    func finishLine() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        drawn = false
        lastBytes = -1
    }
}
