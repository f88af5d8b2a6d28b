/// How a VM run ended; the first reason reported wins.
public enum MachineExit: Equatable, Sendable {
    /// The guest pulsed the i8042 reset line (`reboot=k`): the normal way our guests finish.
    case guestReset
    /// A KVM system event: shutdown/reset (clean) or crash.
    case systemEvent(type: UInt32)
    /// The guest halted a vCPU with interrupts masked (nothing will ever wake it).
    case halted
    /// Triple fault.
    case tripleFault
    /// The VMM stopped the guest on request (`MicroVM.stop()`).
    case stopped
    /// A stop signal (SIGTERM, SIGINT, ...) ended the run.
    case signaled(Int32)
    /// Something this VMM or KVM could not handle; the message says what and on which vCPU.
    case failed(String)

    /// The `rkt-vmm` exit status: 0 for a clean end, 1 when the guest crashed or the VMM failed.
    public var status: Int32 {
        switch self {
        case .guestReset, .halted, .stopped: return 0
        case let .systemEvent(type): return type == 3 ? 1 : 0  // KVM_SYSTEM_EVENT_CRASH
        case .tripleFault, .failed: return 1
        case let .signaled(signal): return 128 + signal
        }
    }

    public var summary: String {
        switch self {
        case .guestReset: return "guest reset via i8042"
        case let .systemEvent(type): return "guest system event \(type)"
        case .halted: return "guest halted"
        case .tripleFault: return "guest triple-faulted (shutdown)"
        case .stopped: return "stopped"
        case let .signaled(signal): return "stopped by signal \(signal)"
        case let .failed(message): return message
        }
    }
}
