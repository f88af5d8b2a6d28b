import Glibc

/// Forwards SIGTERM, SIGINT and SIGHUP sent to stage1 to the app, so stage1 stays to record the exit status.
enum SignalForwarding {
    nonisolated(unsafe) static var child: pid_t = 0

    static func install() {
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber) { received in
                let pid = SignalForwarding.child
                if pid > 0 { kill(pid, received) }
            }
        }
    }
}
