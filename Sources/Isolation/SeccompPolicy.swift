import AppC
import CSeccomp
import Glibc

/// An app's seccomp filter (appc's `os/linux/seccomp-retain-set` / `-remove-set`, as rkt applies them):
/// without an isolator, rkt's default whitelist. Blocked calls fail with the isolator's errno, or kill the
/// process (SIGSYS) when it names none, as rkt's systemd-based filters did. `@appc.io/all` in a retain set
/// turns filtering off; `@appc.io/empty` in a remove set selects the default whitelist.
/// The filter is compiled before the app's process is forked; the child only loads it.
public final class SeccompPolicy {
    public enum Mode: Equatable, Sendable { case retain, remove }

    public let mode: Mode
    public let syscalls: [Int32]
    public let errno: Int32?
    private let context: scmp_filter_ctx

    static let actionAllow: UInt32 = 0x7fff_0000
    static let actionKillProcess: UInt32 = 0x8000_0000
    static func actionErrno(_ number: Int32) -> UInt32 { 0x0005_0000 | (UInt32(number) & 0xffff) }

    /// The policy for an app's isolators, or nil when its filter is switched off (`@appc.io/all`).
    public static func make(isolators: [Isolator], app: String) throws -> SeccompPolicy? {
        var mode = Mode.retain
        var names = ["@rkt/default-whitelist"]
        var errnoName: String?
        for isolator in isolators {
            switch isolator.known {
            case let .seccompRetainSet(set)?:
                if set.syscalls.contains("@appc.io/all") { return nil }
                mode = .retain
                names = set.syscalls
                errnoName = set.errno
            case let .seccompRemoveSet(set)?:
                errnoName = set.errno
                if set.syscalls.contains("@appc.io/empty") { continue }
                mode = .remove
                names = set.syscalls
            default: continue
            }
        }
        return try SeccompPolicy(mode: mode, names: names, errnoName: errnoName, app: app)
    }

    public init(mode: Mode, names: [String], errnoName: String?, app: String) throws {
        self.mode = mode
        if let errnoName {
            guard let number = ErrnoNames.numbers[errnoName] else {
                throw IsolationError("app \(app): seccomp errno \(errnoName.debugDescription) is not one rkt knows")
            }
            errno = number
        } else {
            errno = nil
        }
        var numbers = Set<Int32>()
        for name in names {
            if name.hasPrefix("@") {
                guard let members = SyscallGroups.members(of: name) else {
                    throw IsolationError("app \(app): unknown seccomp group \(name.debugDescription)")
                }
                for member in members {
                    let number = seccomp_syscall_resolve_name(member)
                    if number != -1 { numbers.insert(number) }
                }
            } else {
                let number = seccomp_syscall_resolve_name(name)
                guard number != -1 else { throw IsolationError("app \(app): unknown syscall \(name.debugDescription) in seccomp set") }
                numbers.insert(number)
            }
        }
        syscalls = numbers.sorted()
        let blocked = errno.map(Self.actionErrno) ?? Self.actionKillProcess
        let (defaultAction, ruleAction) = mode == .retain ? (blocked, Self.actionAllow) : (Self.actionAllow, blocked)
        guard let context = seccomp_init(defaultAction) else {
            throw IsolationError("app \(app): seccomp_init failed")
        }
        self.context = context
        // A binary search over the syscall numbers instead of libseccomp's default chain of comparisons: a call
        // then runs ~10 BPF instructions instead of up to one per listed syscall (~300 for the default
        // whitelist), and so does each step of the kernel's per-syscall action cache, which is built when the
        // filter is loaded. Both matter where the kernel interprets the filter under emulation (the kvm
        // flavor on hosts without VMX/SVM: loading the default filter took ~0.9 s of guest time).
        let optimized = seccomp_attr_set(context, SCMP_FLTATR_CTL_OPTIMIZE, 2)
        if optimized != 0 {
            throw IsolationError("app \(app): seccomp binary-tree filter layout: \(String(cString: strerror(-optimized)))")
        }
        for number in syscalls {
            let result = seccomp_rule_add_array(context, ruleAction, number, 0, nil)
            // Calls of other architectures (negative pseudo numbers) may be refused; they cannot happen here.
            if result != 0 && number >= 0 {
                throw IsolationError("app \(app): seccomp rule for syscall \(number): \(String(cString: strerror(-result)))")
            }
        }
    }

    deinit {
        seccomp_release(context)
    }

    /// Loads the filter into the calling process (the app's child, just before exec). Returns 0 or -errno.
    public func load() -> Int32 {
        seccomp_load(context)
    }

    /// The filter as a classic BPF program (`struct sock_filter` instructions, 8 bytes each), for a process
    /// that loads it without libseccomp: the kvm flavor's GuestInit, inside the VM.
    public func bpfProgram() throws -> [UInt8] {
        guard let file = tmpfile() else { throw IsolationError("seccomp: tmpfile: \(String(cString: strerror(Glibc.errno)))") }
        defer { fclose(file) }
        let fd = fileno(file)
        let result = seccomp_export_bpf(context, fd)
        guard result == 0 else { throw IsolationError("seccomp_export_bpf: \(String(cString: strerror(-result)))") }
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0, size % 8 == 0, lseek(fd, 0, SEEK_SET) == 0 else { throw IsolationError("seccomp_export_bpf wrote \(size) bytes") }
        var program = [UInt8](repeating: 0, count: Int(size))
        var filled = 0
        while filled < program.count {
            let count = program.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            guard count > 0 else { throw IsolationError("reading the exported seccomp program: short read") }
            filled += count
        }
        return program
    }
}
