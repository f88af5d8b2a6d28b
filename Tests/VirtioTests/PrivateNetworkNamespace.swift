import CStage1
import Glibc

/// Runs `body` on the calling thread inside a new network namespace of its own (a network namespace is a
/// per-thread attribute: the test's other threads and the host keep theirs), then returns the thread to the
/// namespace it had. Interfaces made inside (taps) go with the namespace. Needs CAP_SYS_ADMIN.
func withPrivateNetworkNamespace<T>(_ body: () throws -> T) throws -> T {
    let original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
    guard original >= 0 else { throw PrivateNetworkNamespaceError(call: "open /proc/thread-self/ns/net", errno: errno) }
    defer { close(original) }
    guard cstage1_unshare(cstage1_clone_newnet) == 0 else { throw PrivateNetworkNamespaceError(call: "unshare(CLONE_NEWNET)", errno: errno) }
    defer { precondition(cstage1_setns(original, cstage1_clone_newnet) == 0, "cannot return to the test's network namespace") }
    return try body()
}

struct PrivateNetworkNamespaceError: Error, CustomStringConvertible {
    let call: String
    let errno: Int32
    var description: String { "\(call): \(String(cString: strerror(errno)))" }
}
