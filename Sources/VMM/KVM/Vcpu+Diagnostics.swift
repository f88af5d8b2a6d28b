extension Vcpu {
    /// Where the vCPU is, for diagnostics: "rip 0x… cs 0x…/base 0x… cr0 0x… efer 0x…".
    public var stateSummary: String {
        guard let regs = try? registers(), let sregs = try? specialRegisters() else { return "state unavailable" }
        func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
        return "rip \(hex(regs.rip)) cs \(hex(UInt64(sregs.cs.selector)))/base \(hex(sregs.cs.base)) "
            + "cr0 \(hex(sregs.cr0)) efer \(hex(sregs.efer)) rflags \(hex(regs.rflags))"
    }
}
