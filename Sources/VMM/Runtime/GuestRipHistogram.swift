/// How often each guest instruction address was seen by the sampler (`GuestSampler`): one per vCPU, written
/// only by that vCPU's thread and read after the thread is joined. It tells where an emulated guest kernel
/// spends its time, which host profilers cannot see (the emulation runs inside the vCPU's KVM_RUN).
final class GuestRipHistogram: @unchecked Sendable {
    private(set) var counts: [UInt64: Int] = [:]
    private(set) var total = 0

    func record(_ rip: UInt64) {
        counts[rip, default: 0] += 1
        total += 1
    }

    /// Adds another histogram's counts (several vCPUs into one report).
    func merge(_ other: GuestRipHistogram) {
        for (rip, count) in other.counts { counts[rip, default: 0] += count }
        total += other.total
    }

    /// The report `rkt-vmm --guest-profile` writes: a header line, then "COUNT 0xADDRESS" lines, most
    /// frequent first (ties by address). scripts/guest-profile.py names the kernel functions.
    func report(intervalMicroseconds: Int) -> String {
        let rows = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        var text = "# rkt-vmm guest profile: \(total) samples, one per vCPU every \(intervalMicroseconds) us\n"
        for (rip, count) in rows { text += "\(count) 0x\(String(rip, radix: 16))\n" }
        return text
    }
}
