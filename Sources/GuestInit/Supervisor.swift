import CKvmPod
import Glibc
import GuestProtocol
import LinuxSupport

/// PID 1's loop once the apps run: reaps children (signalfd for SIGCHLD), reports each app's exit on the
/// control channel, serves the host's `stop`, `enter` and `wait` requests, and returns when every app has
/// exited. Orphans re-parented to PID 1 are reaped and ignored.
final class Supervisor {
    private let config: GuestPodConfig
    private let control: VsockStream
    private let listener: VsockStream?
    private let signals: Int32
    private var apps: [pid_t: String] = [:]
    private var entered: [pid_t: String] = [:]
    private var enteredStatus: [String: Int32] = [:]
    private var waiters: [String: VsockStream] = [:]
    private var killDeadline: timespec?

    init(config: GuestPodConfig, control: VsockStream, listener: VsockStream?, signals: Int32) {
        self.config = config
        self.control = control
        self.listener = listener
        self.signals = signals
    }

    func adopt(app: String, pid: pid_t) { apps[pid] = app }

    var hasRunningApps: Bool { !apps.isEmpty }

    func run() throws {
        reap()
        while !apps.isEmpty {
            var descriptors = [pollfd(fd: signals, events: Int16(POLLIN), revents: 0)]
            if let listener { descriptors.append(pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), pollTimeout())
            if ready < 0 && errno != EINTR { throw SystemError.current("poll") }
            if let killDeadline, Self.now() >= Self.seconds(killDeadline) {
                for pid in apps.keys { kill(pid, SIGKILL) }
                self.killDeadline = nil
            }
            if descriptors[0].revents != 0 {
                var info = signalfd_siginfo()
                _ = read(signals, &info, MemoryLayout<signalfd_siginfo>.size)
                reap()
            }
            if descriptors.count > 1, descriptors[1].revents != 0, let listener {
                if let connection = try? listener.accept() { serve(connection) }
            }
        }
        for pid in entered.keys { kill(pid, SIGKILL) }
    }

    private func reap() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0 else { return }
            let exitStatus = AppLauncher.exitStatus(fromWaitStatus: status)
            if let app = apps.removeValue(forKey: pid) {
                try? control.send(.exited(app: app, status: exitStatus))
            } else if let token = entered.removeValue(forKey: pid) {
                if let waiter = waiters.removeValue(forKey: token) {
                    try? waiter.send(.exit(status: exitStatus))
                    waiter.close()
                } else {
                    enteredStatus[token] = exitStatus
                }
            }
        }
    }

    private func serve(_ connection: VsockStream) {
        let request: GuestMessage
        do {
            guard let line = try connection.readLine() else { connection.close(); return }
            request = try GuestMessage(line: line)
        } catch {
            try? connection.send(.error("bad request: \(error)"))
            connection.close()
            return
        }
        switch request {
        case .stop(let graceSeconds):
            for pid in apps.keys { kill(pid, SIGTERM) }
            var deadline = timespec()
            clock_gettime(CLOCK_MONOTONIC, &deadline)
            deadline.tv_sec += graceSeconds
            killDeadline = deadline
            connection.close()
        case .enter(let token, let appName, let command):
            enter(token: token, appName: appName, command: command, connection: connection)
        case .wait(let token):
            if let status = enteredStatus.removeValue(forKey: token) {
                try? connection.send(.exit(status: status))
                connection.close()
            } else if entered.values.contains(token) {
                waiters[token]?.close()
                waiters[token] = connection
            } else {
                try? connection.send(.error("no entered command \(token)"))
                connection.close()
            }
        default:
            try? connection.send(.error("unexpected request"))
            connection.close()
        }
    }

    private func enter(token: String, appName: String, command: [String], connection: VsockStream) {
        defer { connection.close() }
        guard let app = config.apps.first(where: { $0.name == appName }) else {
            try? GuestFiles.writeAll(Array("rkt enter: no app \(appName) in this pod\n".utf8), to: connection.descriptor, what: "vsock")
            enteredStatus[token] = 254
            return
        }
        let process = AppLauncher.Process(
            root: GuestLayout.appRoot(app.name), workingDirectory: app.workingDirectory, program: command[0],
            arguments: command,
            environment: app.environment, uid: app.uid, gid: app.gid, supplementaryGIDs: app.supplementaryGIDs,
            stdio: (connection.descriptor, connection.descriptor, connection.descriptor))
        do {
            entered[try AppLauncher.start(process)] = token
        } catch {
            try? GuestFiles.writeAll(Array("rkt enter: \(error)\n".utf8), to: connection.descriptor, what: "vsock")
            enteredStatus[token] = 254
        }
    }

    private func pollTimeout() -> Int32 {
        guard let killDeadline else { return -1 }
        let remaining = Self.seconds(killDeadline) - Self.now()
        return remaining <= 0 ? 0 : Int32(min(remaining * 1000 + 1, 60_000))
    }

    private static func seconds(_ time: timespec) -> Double { Double(time.tv_sec) + Double(time.tv_nsec) / 1e9 }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return seconds(time)
    }
}
