import Glibc
import LinuxSupport

/// Releases a pod's networks when the pod does not start, and again when it has exited. Once the networks
/// are added, `run` unshares its PID namespace and can no longer start plugins itself (its next child would
/// be the pod's PID 1; after the pod ends it cannot fork there at all), so a helper is forked first, in the
/// host's namespaces, and waits on a pipe for the whole life of the pod:
/// - the pipe closes before `started()`: the pod did not start; CNI DEL, and the record goes (`release()`);
/// - the pipe closes after `started()` (`exited()`, or `run` dying): the pod has exited; CNI DEL frees its
///   addresses and forwarded ports at once, and the record stays, marked released, so that `rkt status` and
///   `rkt list` still show the pod's addresses and `gc` deletes nothing twice (`releaseAtExit()`).
/// The helper ignores the terminal's signals (rkt run's process group gets Ctrl-C): it ends with the pipe.
public struct NetworkRollback {
    public let helper: pid_t
    public let channel: Int32

    public static func arm(_ network: PodNetwork) throws -> NetworkRollback {
        let pipe = try PipeEnds.make()
        let child = fork()
        if child < 0 { throw SystemError.current("fork network rollback helper") }
        if child == 0 {
            close(pipe.write)
            for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { Glibc.signal(signal, SIG_IGN) }
            let started = readByte(pipe.read) == UInt8(ascii: "s")
            if started { while readByte(pipe.read) != nil {} }
            do {
                if started { try network.releaseAtExit() } else { try network.release() }
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

    private static func readByte(_ fd: Int32) -> UInt8? {
        var byte: UInt8 = 0
        var count: Int
        repeat { count = read(fd, &byte, 1) } while count < 0 && errno == EINTR
        return count == 1 ? byte : nil
    }

    /// The pod started: its networks stay until it exits.
    public func started() {
        var byte = UInt8(ascii: "s")
        _ = write(channel, &byte, 1)
    }

    /// The pod has exited: deletes its networks (keeping the record) and waits until that is done, so that a
    /// pod started right after `rkt run` returns gets the ports.
    public func exited() {
        close(channel)
        _ = ExitStatus.wait(helper)
    }

    /// The pod did not start: deletes its networks and waits until that is done.
    public func rollBack() {
        close(channel)
        _ = ExitStatus.wait(helper)
    }
}
