import CNI
import Glibc
import LinuxSupport

/// Runs work in a forked child and waits for it. The `run` entrypoint must stay single-threaded until it has
/// unshared its namespaces (unshare(CLONE_NEWNS) fails once threads share the filesystem context, and
/// CLONE_NEWPID makes the next child PID 1); CNI plugins are started through Foundation's Process, which
/// starts threads, so that work happens in a child. The child's error text comes back through a pipe.
public enum ForkedTask {
    public static func run(_ name: String, _ work: () throws -> Void) throws {
        let report = try PipeEnds.make()
        let child = fork()
        if child < 0 { throw SystemError.current("fork for \(name)") }
        if child == 0 {
            close(report.read)
            do {
                try work()
                _exit(0)
            } catch {
                let message = "\(error)"
                _ = message.withCString { write(report.write, $0, strlen($0)) }
                _exit(1)
            }
        }
        close(report.write)
        let message = PipeEnds.readText(from: report.read)
        close(report.read)
        let status = ExitStatus.wait(child)
        if status != 0 {
            throw CNIError(message.isEmpty ? "\(name) failed with status \(status)" : message)
        }
    }
}
