import AppC
import CCap
import CStage1
import Foundation
import LinuxSupport

/// The capabilities an app keeps (appc ace.md's Linux isolators, as rkt applies them): the default set below,
/// replaced by an `os/linux/capabilities-retain-set` or reduced by an `os/linux/capabilities-remove-set`.
/// Everything else leaves the bounding set before the app runs; a root app's effective, permitted and
/// inheritable sets are the retained set.
public struct CapabilityPolicy: Sendable {
    /// rkt's (and appc's) default set for apps.
    public static let defaultNames = [
        "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_KILL", "CAP_MKNOD",
        "CAP_NET_RAW", "CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETFCAP",
        "CAP_SYS_CHROOT",
    ]

    /// The retained capability numbers, sorted.
    public let retained: [Int32]
    /// The highest capability number this kernel knows (read before the app's process is forked).
    public let lastCapability: Int32

    public init(retained: [Int32]) {
        self.retained = Array(Set(retained)).sorted()
        lastCapability = Self.lastCapability()
    }

    /// The policy for an app's isolators; fails naming an unknown capability.
    public init(isolators: [Isolator], app: String) throws {
        var names = Self.defaultNames
        for isolator in isolators {
            switch isolator.known {
            case let .capabilitiesRetainSet(set)?: names = set
            case let .capabilitiesRemoveSet(set)?:
                let removed = try Set(set.map { try Self.number(of: $0, app: app) })
                names = try names.filter { !removed.contains(try Self.number(of: $0, app: app)) }
            default: continue
            }
        }
        self.init(retained: try names.map { try Self.number(of: $0, app: app) })
    }

    /// A capability's number from its name (`CAP_NET_RAW`, `net_raw`), as libcap knows them.
    public static func number(of name: String, app: String) throws -> Int32 {
        var value: cap_value_t = 0
        guard cap_from_name(name.lowercased(), &value) == 0 else {
            throw IsolationError("app \(app): unknown capability \(name.debugDescription)")
        }
        return Int32(value)
    }

    /// The `CapEff` mask /proc/PID/status shows for a root app under this policy.
    public var mask: UInt64 {
        retained.reduce(0) { $0 | (UInt64(1) << UInt64($1)) }
    }

    /// Drops every capability outside the policy from the bounding set (before the credentials change).
    /// Runs in the app's child process; returns false with errno set on failure.
    public func dropBoundingSet() -> Bool {
        for capability in 0...lastCapability where !retained.contains(capability) {
            if cstage1_capbset_drop(capability) != 0 && errno != EINVAL { return false }
        }
        return true
    }

    /// Sets the effective, permitted and inheritable sets to the retained set (after the credentials
    /// change; for a non-root user they are already empty and stay so).
    public func applyToProcess() -> Bool {
        guard let state = cap_init() else { return false }
        defer { cap_free(UnsafeMutableRawPointer(state)) }
        var values = retained.map { cap_value_t($0) }
        if geteuid() == 0 && !values.isEmpty {
            for flag in [CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE] {
                guard cap_set_flag(state, flag, Int32(values.count), &values, CAP_SET) == 0 else { return false }
            }
        }
        return cap_set_proc(state) == 0
    }

    /// The highest capability number this kernel knows.
    public static func lastCapability() -> Int32 {
        if let text = try? String(contentsOfFile: "/proc/sys/kernel/cap_last_cap", encoding: .utf8),
           let value = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            return value
        }
        return 40
    }
}
