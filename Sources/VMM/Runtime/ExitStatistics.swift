/// Counts of one vCPU's exits to userspace by kind and target (port or MMIO page), for `--debug`: on hosts
/// where every exit costs an emulated round trip, these say which device traffic to cut.
final class ExitStatistics: @unchecked Sendable {
    private(set) var total = 0
    private(set) var byTarget: [String: Int] = [:]
    /// MMIO accesses no device answered.
    var unmappedAccesses = 0

    /// Called only by the vCPU's own thread; read after the thread is joined.
    func record(_ exit: VcpuExit) {
        total += 1
        let key: String
        switch exit {
        case let .ioIn(port, _, _): key = "in 0x\(String(port, radix: 16))"
        case let .ioOut(port, _, _): key = "out 0x\(String(port, radix: 16))"
        case let .mmioRead(address, _): key = "mmio read 0x\(String(address & ~0xfff, radix: 16))"
        case let .mmioWrite(address, _): key = "mmio write 0x\(String(address & ~0xfff, radix: 16))"
        case .interrupted: key = "interrupted"
        default: key = "other"
        }
        byTarget[key, default: 0] += 1
    }

    /// "N exits: out 0x3f8 ×900, mmio write 0xd0000000 ×40, ..." (the `limit` most frequent).
    func summary(limit: Int = 6) -> String {
        let top = byTarget.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(limit)
        let unmapped = unmappedAccesses > 0 ? " (\(unmappedAccesses) to unmapped MMIO)" : ""
        return "\(total) exits\(unmapped): " + top.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }
}
