import Glibc

/// The pod init's signal handling: SIGTERM, SIGINT and SIGHUP go to every other process of the pod
/// (`kill(-1, …)` from PID 1 reaches exactly the pod's PID namespace); SIGTERM also arms a timer after which
/// SIGALRM makes the init SIGKILL whatever is left.
enum InitSignals {
    static let stopTimeout: UInt32 = 10

    static func install() {
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber) { received in
                kill(-1, received)
                if received == SIGTERM { alarm(InitSignals.stopTimeout) }
            }
        }
        signal(SIGALRM) { _ in kill(-1, SIGKILL) }
    }
}
