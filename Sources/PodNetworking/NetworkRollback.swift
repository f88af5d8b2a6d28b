import Glibc
import LinuxSupport

/// Undoes a pod's network setup if the pod does not start. Once the networks are added, `run` unshares its
/// PID namespace and can no longer start plugins itself (its next child would be the pod's PID 1), so a
/// helper is forked first, in the host's namespaces: it waits on a pipe and runs CNI DEL for the pod unless
/// `run` says "keep" — also when `run` dies before it gets that far.
public struct NetworkRollback {
    public let helper: pid_t
    public let channel: Int32

    public static func arm(_ network: PodNetwork) throws -> NetworkRollback {
        let pipe = try PipeEnds.make()
        let child = fork()
        if child < 0 { throw SystemError.current("fork network rollback helper") }
        if child == 0 {
            close(pipe.write)
            var byte: UInt8 = 0
            var count: Int
            repeat { count = read(pipe.read, &byte, 1) } while count < 0 && errno == EINTR
            if count == 1 && byte == UInt8(ascii: "k") { _exit(0) }
            do {
                try network.release()
                _exit(0)
            } catch {
                let message = "rkt: releasing the pod's networks: \(error)\n"
                _ = message.withCString { write(2, $0, strlen($0)) }
                _exit(1)
            }
        }
        close(pipe.read)
        return NetworkRollback(helper: child, channel: pipe.write)
    }

    /// The pod started: its networks stay until `gc`.
    public func keep() {
        var byte = UInt8(ascii: "k")
        _ = write(channel, &byte, 1)
        close(channel)
        _ = ExitStatus.wait(helper)
    }

    /// The pod did not start: deletes its networks and waits until that is done.
    public func rollBack() {
        close(channel)
        _ = ExitStatus.wait(helper)
    }
}
