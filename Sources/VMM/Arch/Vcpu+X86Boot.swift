/// Puts a vCPU into the state the Linux 64-bit boot protocol expects (Firecracker's order: CPUID, MSRs,
/// registers, FPU, special registers, LAPIC). Secondary vCPUs get the same state; the kernel's SMP startup
/// (INIT/SIPI through the in-kernel LAPIC) resets and restarts them.
extension Vcpu {
    public func configureForLinuxBoot(entry: UInt64, cpuid: [CpuidEntry]) throws {
        try setCpuid(cpuid)
        try setMsrs(LongModeBoot.bootMsrs)
        try setRegisters(LongModeBoot.registers(entry: entry))
        try setFpu(LongModeBoot.fpu())
        try setSpecialRegisters(LongModeBoot.specialRegisters(from: specialRegisters()))
        try setLapic(LongModeBoot.lapic(from: lapic()))
    }
}
