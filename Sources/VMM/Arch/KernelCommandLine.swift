/// The kernel command line the VMM builds: its own parameters first, then the user's `--cmdline` text.
public struct KernelCommandLine: Equatable, Sendable {
    /// Parameters every guest gets (after its `console=`): reboot via the i8042 reset (our clean exit), no
    /// reboot delay on panic, no probing of hardware a micro-VM lacks, trust in the TSC. Parameters the kernel
    /// does not know are handed to init as arguments or environment, so none are added "just in case"
    /// (`pci=off` and `nomodule` were dropped: the kernel/ build has neither PCI nor modules).
    public static let baseParameters = [
        "reboot=k", "panic=-1", "i8042.noaux", "i8042.nomux", "i8042.dumbkbd", "tsc=reliable", "no_timer_check",
        "noreplace-smp",
    ]

    public private(set) var parameters: [String] = []

    public init(_ parameters: [String] = []) { self.parameters = parameters }

    public mutating func append(_ parameter: String) { parameters.append(parameter) }
    public mutating func append(contentsOf more: [String]) { parameters.append(contentsOf: more) }

    /// Appends user text verbatim (it may hold several space-separated parameters, or `-- init args`).
    public mutating func append(userText: String) {
        let trimmed = userText.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        if !trimmed.isEmpty { parameters.append(trimmed) }
    }

    public var text: String { parameters.joined(separator: " ") }

    /// The NUL-terminated bytes, checked against the kernel's limit.
    public func bytes(limit: Int) throws -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard !utf8.contains(0) else { throw BootError.commandLineHasNul }
        guard utf8.count <= limit else { throw BootError.commandLineTooLong(length: utf8.count, limit: limit) }
        return utf8 + [0]
    }
}
