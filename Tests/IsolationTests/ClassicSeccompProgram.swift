/// Runs a classic BPF seccomp program (what `SeccompPolicy.bpfProgram()` exports) on a system call number
/// and architecture, as the kernel would, counting the instructions executed. Knows the instructions
/// libseccomp emits (loads of seccomp_data words, conditional and unconditional jumps, AND, returns).
struct ClassicSeccompProgram {
    struct Instruction { let code: UInt16; let jt: UInt8; let jf: UInt8; let k: UInt32 }
    let instructions: [Instruction]

    init(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty, bytes.count % 8 == 0 else { throw Failure(description: "not a BPF program: \(bytes.count) bytes") }
        instructions = stride(from: 0, to: bytes.count, by: 8).map { at in
            Instruction(code: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8, jt: bytes[at + 2], jf: bytes[at + 3],
                        k: (0..<4).reduce(0) { $0 | UInt32(bytes[at + 4 + $1]) << (8 * $1) })
        }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The action word returned and the number of instructions run; `seccomp_data` holds nr, arch, a zero
    /// instruction pointer and zero arguments.
    func run(syscall: Int32, architecture: UInt32) throws -> (action: UInt32, steps: Int) {
        var data = [UInt32](repeating: 0, count: 16)
        data[0] = UInt32(bitPattern: syscall)
        data[1] = architecture
        var accumulator: UInt32 = 0, pc = 0, steps = 0
        while pc < instructions.count {
            let instruction = instructions[pc]
            steps += 1
            pc += 1
            func jump(_ taken: Bool) { pc += Int(taken ? instruction.jt : instruction.jf) }
            switch instruction.code {
            case 0x20:  // ld [k]
                guard instruction.k % 4 == 0, Int(instruction.k / 4) < data.count else { throw Failure(description: "load of offset \(instruction.k)") }
                accumulator = data[Int(instruction.k / 4)]
            case 0x00: accumulator = instruction.k  // ld #k
            case 0x54: accumulator &= instruction.k  // and #k
            case 0x05: pc += Int(instruction.k)  // ja
            case 0x15: jump(accumulator == instruction.k)  // jeq #k
            case 0x25: jump(accumulator > instruction.k)  // jgt #k
            case 0x35: jump(accumulator >= instruction.k)  // jge #k
            case 0x45: jump(accumulator & instruction.k != 0)  // jset #k
            case 0x06: return (instruction.k, steps)  // ret #k
            default: throw Failure(description: "instruction 0x\(String(instruction.code, radix: 16)) at \(pc - 1)")
            }
        }
        throw Failure(description: "ran off the end of the program")
    }
}
