import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// A joinable pthread running a closure (vCPU threads). Foundation-free, so the VMM stays small.
final class HostThread: @unchecked Sendable {
    private var thread: pthread_t = 0
    private final class Box { let body: () -> Void; init(_ body: @escaping () -> Void) { self.body = body } }

    init(name: String, _ body: @escaping () -> Void) throws {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let result = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SystemError(errno: result, operation: "pthread_create", path: name)
        }
    }

    /// Sends `signal` to the thread (to interrupt a blocking KVM_RUN).
    func signal(_ signal: Int32) { pthread_kill(thread, signal) }

    func join() { pthread_join(thread, nil) }
}
