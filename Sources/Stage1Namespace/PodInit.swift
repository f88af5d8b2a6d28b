import Glibc
import Isolation
import LinuxSupport
import Pods

/// PID 1 of the pod (a child of stage1 `run`, first process of the pod's PID namespace): names the pod's host,
/// brings `lo` up in a new network namespace, builds every app's filesystem view, starts every app, then
/// reaps: each app's exit status goes to `stage1/rootfs/rkt/status/APP` as it exits, orphans are reaped and
/// forgotten, and once every app has exited the init exits — taking whatever the apps left running with it.
/// SIGTERM, SIGINT and SIGHUP are passed to every process of the pod; after SIGTERM, whatever still runs
/// `stopTimeout` seconds later gets SIGKILL. Setup failures are written to `readiness` (an empty pipe at EOF
/// means every app started).
struct PodInit {
    let pod: PodDefinition
    let apps: [PreparedApp]
    let options: Stage1Arguments
    let hostname: String
    let stdio: [[Int32]]
    let cgroup: PodCgroup
    let readiness: Int32
    /// resolv.conf text from the CNI results, if a network returned DNS servers.
    let networkDNS: String?

    func runAsPID1() -> Never {
        do {
            try setUp()
            InitSignals.install()
            var running: [pid_t: String] = [:]
            for (index, app) in apps.enumerated() {
                let pid = try AppLauncher(app: app, stdio: stdio[index], cgroup: cgroup).start()
                running[pid] = app.name
            }
            for fds in stdio { for fd in fds where fd > STDERR_FILENO { close(fd) } }
            close(readiness)
            reap(running)
        } catch {
            let message = "\(error)"
            _ = message.withCString { write(readiness, $0, strlen($0)) }
            _exit(NamespaceFailure.status)
        }
    }

    private func setUp() throws {
        guard sethostname(hostname, hostname.utf8.count) == 0 else { throw SystemError.current("sethostname \(hostname)") }
        if options.net != "host" { try Loopback.bringUp() }
        let etc = try EtcFiles(hostname: hostname, files: pod.files, hostNetwork: options.net == "host", networkDNS: networkDNS)
        for app in apps { try AppFilesystem(app: app, etc: etc).build() }
    }

    private func reap(_ apps: [pid_t: String]) -> Never {
        var running = apps
        while !running.isEmpty {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, 0)
            if pid < 0 {
                if errno == EINTR { continue }
                break
            }
            guard let name = running.removeValue(forKey: pid) else { continue }
            try? SmallFile.writeInteger(Int(ExitStatus.decode(status)), to: pod.files.appStatus(name))
        }
        _exit(0)
    }
}
