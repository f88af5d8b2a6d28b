import AppC
import CSeccomp
import Glibc

/// An app's seccomp filter (appc's `os/linux/seccomp-retain-set` / `-remove-set`, as rkt applies them):
/// without an isolator, rkt's default whitelist. Blocked calls fail with the isolator's errno, or kill the
/// process (SIGSYS) when it names none, as rkt's systemd-based filters did. `@appc.io/all` in a retain set
/// turns filtering off; `@appc.io/empty` in a remove set selects the default whitelist.
/// The filter is compiled before the app's process is forked; the child only loads it.
final class SeccompPolicy {
    enum Mode: Equatable { case retain, remove }

    let mode: Mode
    let syscalls: [Int32]
    let errno: Int32?
    private let context: scmp_filter_ctx

    static let actionAllow: UInt32 = 0x7fff_0000
    static let actionKillProcess: UInt32 = 0x8000_0000
    static func actionErrno(_ number: Int32) -> UInt32 { 0x0005_0000 | (UInt32(number) & 0xffff) }

    /// The policy for an app's isolators, or nil when its filter is switched off (`@appc.io/all`).
    static func make(isolators: [Isolator], app: String) throws -> SeccompPolicy? {
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

    init(mode: Mode, names: [String], errnoName: String?, app: String) throws {
        self.mode = mode
        if let errnoName {
            guard let number = ErrnoNames.numbers[errnoName] else {
                throw NamespaceError("app \(app): seccomp errno \(errnoName.debugDescription) is not one stage1-coreos knows")
            }
            errno = number
        } else {
            errno = nil
        }
        var numbers = Set<Int32>()
        for name in names {
            if name.hasPrefix("@") {
                guard let members = SyscallGroups.members(of: name) else {
                    throw NamespaceError("app \(app): unknown seccomp group \(name.debugDescription)")
                }
                for member in members {
                    let number = seccomp_syscall_resolve_name(member)
                    if number != -1 { numbers.insert(number) }
                }
            } else {
                let number = seccomp_syscall_resolve_name(name)
                guard number != -1 else { throw NamespaceError("app \(app): unknown syscall \(name.debugDescription) in seccomp set") }
                numbers.insert(number)
            }
        }
        syscalls = numbers.sorted()
        let blocked = errno.map(Self.actionErrno) ?? Self.actionKillProcess
        let (defaultAction, ruleAction) = mode == .retain ? (blocked, Self.actionAllow) : (Self.actionAllow, blocked)
        guard let context = seccomp_init(defaultAction) else {
            throw NamespaceError("app \(app): seccomp_init failed")
        }
        self.context = context
        for number in syscalls {
            let result = seccomp_rule_add_array(context, ruleAction, number, 0, nil)
            // Calls of other architectures (negative pseudo numbers) may be refused; they cannot happen here.
            if result != 0 && number >= 0 {
                throw NamespaceError("app \(app): seccomp rule for syscall \(number): \(String(cString: strerror(-result)))")
            }
        }
    }

    deinit {
        seccomp_release(context)
    }

    /// Loads the filter into the calling process (the app's child, just before exec). Returns 0 or -errno.
    func load() -> Int32 {
        seccomp_load(context)
    }
}
