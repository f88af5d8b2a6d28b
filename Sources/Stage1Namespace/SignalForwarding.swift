import Glibc

/// Forwards SIGTERM, SIGINT and SIGHUP sent to the stage1 `run` process to the pod init, which passes them on
/// to the apps; stage1 stays to record the exit statuses.
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
