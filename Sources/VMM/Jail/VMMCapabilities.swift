import CCap
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// Drops every capability of the VMM process once /dev/kvm, the disks and the console are open: the
/// bounding set first (which needs CAP_SETPCAP), then the effective, permitted and inheritable sets.
public enum VMMCapabilities {
    public static func dropAll() throws {
        var capability: cap_value_t = 0
        errno = 0
        while cap_drop_bound(capability) == 0 || errno != EINVAL {  // EINVAL: past the last capability
            if errno == EPERM { throw SystemError.current("prctl PR_CAPBSET_DROP", path: "capability \(capability)") }
            capability += 1
            errno = 0
        }
        guard let empty = cap_init() else { throw SystemError.current("cap_init") }
        defer { cap_free(UnsafeMutableRawPointer(empty)) }
        try retryingOnInterrupt("cap_set_proc") { cap_set_proc(empty) }
    }
}
