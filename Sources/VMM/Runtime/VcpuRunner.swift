/// The loop of one vCPU thread: run the guest, dispatch port and MMIO exits to the buses, and report
/// anything that ends the machine to the stop latch.
struct VcpuRunner: @unchecked Sendable {
    let vcpu: Vcpu
    let ioBus: IOBus
    let mmioBus: MMIOBus
    let latch: MachineStopLatch
    let log: (@Sendable (String) -> Void)?
    let statistics = ExitStatistics()
    /// Where the guest was at each interruption, when a `GuestSampler` runs; nil: not sampled.
    let ripSamples: GuestRipHistogram?

    func run() {
        while !latch.isStopped {
            do {
                let exit = try vcpu.run()
                statistics.record(exit)
                if let end = try handle(exit) {
                    latch.stop(end)
                    return
                }
            } catch {
                latch.stop(.failed("vCPU \(vcpu.index): \(error)"))
                return
            }
        }
    }

    /// Handles one exit; returns how the machine ends if it does.
    func handle(_ exit: VcpuExit) throws -> MachineExit? {
        switch exit {
        case let .ioIn(port, size, count):
            var bytes: [UInt8] = []
            for _ in 0..<count { bytes += ioBus.read(port: port, count: size) ?? [UInt8](repeating: 0xff, count: size) }
            try vcpu.completeIoIn(bytes)
        case let .ioOut(port, size, data):
            for start in stride(from: 0, to: data.count, by: size) {
                ioBus.write(port: port, bytes: Array(data[start..<(start + size)]))
            }
        case let .mmioRead(address, size):
            let bytes = mmioBus.read(address: address, count: size)
            if bytes == nil { logUnmapped("read of", address) }
            try vcpu.completeMmioRead(bytes ?? [UInt8](repeating: 0, count: size))
        case let .mmioWrite(address, data):
            if !mmioBus.write(address: address, bytes: data) { logUnmapped("write to", address) }
        case .interrupted:
            if let ripSamples, let rip = try? vcpu.registers().rip { ripSamples.record(rip) }
        case .halt:
            return .halted
        case .shutdown:
            return .tripleFault
        case let .systemEvent(type, _):
            return .systemEvent(type: type)
        case .internalError, .failEntry, .exception, .unknown, .unhandled:
            let rip = (try? vcpu.registers().rip).map { " at rip 0x\(String($0, radix: 16))" } ?? ""
            return .failed("vCPU \(vcpu.index): \(exit.summary)\(rip)")
        }
        return nil
    }

    /// The first few accesses to addresses without a device are logged; the exit statistics count all of them.
    private func logUnmapped(_ access: String, _ address: UInt64) {
        let seen = statistics.unmappedAccesses
        statistics.unmappedAccesses += 1
        if seen < 10 {
            log?("vCPU \(vcpu.index): \(access) unmapped MMIO address 0x\(String(address, radix: 16))\(seen == 9 ? " (further ones not logged)" : "")")
        }
    }
}
