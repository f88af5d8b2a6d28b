import CCap
import CLinux
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// Drops every capability of the VMM process once /dev/kvm, the disks and the console are open (and the
/// jail, which needs CAP_SYS_ADMIN, is entered): the bounding set first (which needs CAP_SETPCAP), then the
/// ambient set, then the effective, permitted and inheritable sets. The seccomp filter sets no_new_privs.
/// Capabilities are per thread: call it before the vCPU threads start, which then inherit the empty sets.
public enum VMMCapabilities {
    static let prCapAmbient: Int32 = 47         // PR_CAP_AMBIENT, <linux/prctl.h>
    static let prCapAmbientClearAll: UInt = 4   // PR_CAP_AMBIENT_CLEAR_ALL

    public static func dropAll() throws {
        var capability: cap_value_t = 0
        errno = 0
        while cap_drop_bound(capability) == 0 || errno != EINVAL {  // EINVAL: past the last capability
            if errno == EPERM { throw SystemError.current("prctl PR_CAPBSET_DROP", path: "capability \(capability)") }
            capability += 1
            errno = 0
        }
        try retryingOnInterrupt("prctl PR_CAP_AMBIENT_CLEAR_ALL") { clinux_prctl(prCapAmbient, prCapAmbientClearAll, 0, 0, 0) }
        guard let empty = cap_init() else { throw SystemError.current("cap_init") }
        defer { cap_free(UnsafeMutableRawPointer(empty)) }
        try retryingOnInterrupt("cap_set_proc") { cap_set_proc(empty) }
    }
}
