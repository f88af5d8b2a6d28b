import CKvmPod
import Foundation
import GuestProtocol
import LinuxSupport
import Pods

/// The host side of a running pod VM: accepts the guest's streams on the host channel, forwards app output
/// to stage1's stdout/stderr (each line prefixed with `APP: ` when the pod has several apps, as the namespace
/// flavor does, and kept unprefixed in `logs/APP` for `rkt logs`), records app exits as they are reported, and follows the VMM until it exits. When the guest
/// says `poweroff`, the control channel is closed once every app stream has ended, which lets GuestInit power
/// the VM off knowing nothing is lost.
final class GuestSession {
    struct Outcome {
        /// nil until the VMM is reaped.
        var vmm: VMMTermination?
        var appStatuses: [String: Int32]
        var guestErrors: [String]
        var sawReady: Bool
    }

    private let listener: Int32
    private let vmm: VMMProcess
    private let signals: Int32
    private let files: PodFiles
    private let prefixOutput: Bool
    private let log: (String) -> Void
    private var streams: [Int32: GuestStream] = [:]
    private var outcome = Outcome(vmm: nil, appStatuses: [:], guestErrors: [], sawReady: false)
    private var poweroffDeadline: Date?
    private var vmmExited = false
    private var stopRequested = false
    /// Multi-app pods: each app's output file in `logs/` (opened at its first output).
    private var logFiles: [String: Int32] = [:]
    /// Called when GuestInit says `ready` (the pod's roots are assembled; `enter` works from now on).
    var onReady: () throws -> Void = {}
    /// The pod's apps; `onAppsStarted` runs once each has reported `started` (or `failed`, or `exited`).
    var apps: [String] = []
    /// Called once every app has started (`pid`, thus `rkt status --wait-ready` and `started=`).
    var onAppsStarted: () throws -> Void = {}
    private var reportedApps: Set<String> = []
    private var announcedStart = false

    init(listener: Int32, vmm: VMMProcess, signals: Int32, files: PodFiles, prefixOutput: Bool, log: @escaping (String) -> Void) {
        self.listener = listener
        self.vmm = vmm
        self.signals = signals
        self.files = files
        self.prefixOutput = prefixOutput
        self.log = log
    }

    func run() throws -> Outcome {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !(vmmExited && streams.isEmpty) {
            var descriptors = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: vmmExited ? -1 : vmm.exitDescriptor, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: signals, events: Int16(POLLIN), revents: 0)]
            let order = Array(streams.keys)
            descriptors += order.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let timeout: Int32 = poweroffDeadline.map { max(Int32($0.timeIntervalSinceNow * 1000), 0) + 1 } ?? -1
            if poll(&descriptors, nfds_t(descriptors.count), timeout) < 0 && errno != EINTR {
                throw SystemError.current("poll")
            }
            if descriptors[0].revents != 0 { accept() }
            if descriptors[1].revents != 0 {
                let termination = vmm.wait()
                outcome.vmm = termination
                vmmExited = true
                log("\(termination)")
            }
            if descriptors[2].revents != 0 { forwardStopSignal() }
            for (index, fd) in order.enumerated() where descriptors[3 + index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    try receive(Array(buffer[0..<count]), on: fd)
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    end(fd)
                }
            }
            closeControlAfterPoweroff()
        }
        close(listener)
        for fd in logFiles.values where fd >= 0 { close(fd) }
        return outcome
    }

    private func accept() {
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { return }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        streams[fd] = GuestStream(descriptor: fd)
    }

    private func receive(_ bytes: [UInt8], on fd: Int32) throws {
        guard var stream = streams[fd] else { return }
        var data = bytes
        if stream.role == nil {
            stream.pending += data
            guard let newline = stream.pending.firstIndex(of: 0x0A) else {
                if stream.pending.count > GuestRecordLine.maximumLength { drop(fd, "an overlong first line") } else { streams[fd] = stream }
                return
            }
            let first = Array(stream.pending[..<newline])
            data = Array(stream.pending[(newline + 1)...])
            stream.pending = []
            switch try? GuestMessage(line: first) {
            case .control?: stream.role = .control
            case .stdout(let app)?: stream.role = .output(app: app, standardError: false)
            case .stderr(let app)?: stream.role = .output(app: app, standardError: true)
            default: drop(fd, "an unknown first line"); return
            }
        }
        switch stream.role {
        case .control?:
            stream.pending += data
            for line in try stream.takeLines() { handle(line) }
        case .output(let app, let standardError)?:
            forward(data, from: app, standardError: standardError, stream: &stream)
        case nil:
            break
        }
        streams[fd] = stream
    }

    private func drop(_ fd: Int32, _ why: String) {
        log("closed a guest stream with \(why)")
        streams[fd] = nil
        close(fd)
    }

    private func handle(_ line: [UInt8]) {
        let message: GuestMessage
        do {
            message = try GuestMessage(line: line)
        } catch {
            log("ignored a malformed control message: \(error)")
            return
        }
        switch message {
        case .ready:
            outcome.sawReady = true
            log("guest ready")
            do { try onReady() } catch { KvmFailure.warn("recording the pod as ready: \(error)") }
        case .started(let app, let pid):
            log("app \(app) started (guest pid \(pid))")
            appReported(app)
        case .exited(let app, let status):
            appReported(app)
            outcome.appStatuses[app] = status
            log("app \(app) exited with status \(status)")
            do {
                try FileSystem.makeDirectories(files.statusDirectory, mode: 0o755)
                try SmallFile.writeInteger(Int(status), to: files.appStatus(app))
            } catch {
                KvmFailure.warn("recording app \(app)'s exit status: \(error)")
            }
        case .failed(let app, let reason):
            appReported(app)
            KvmFailure.warn("app \(app) could not start in the guest: \(reason)")
            outcome.appStatuses[app] = KvmFailure.status
            try? SmallFile.writeInteger(Int(KvmFailure.status), to: files.appStatus(app))
        case .error(let text):
            outcome.guestErrors.append(text)
            KvmFailure.warn("guest: \(text)")
        case .poweroff:
            log("guest powering off")
            poweroffDeadline = Date().addingTimeInterval(5)
        default:
            log("ignored unexpected control message \(message.fields.first ?? "")")
        }
    }

    private func appReported(_ app: String) {
        reportedApps.insert(app)
        guard !announcedStart, outcome.sawReady, Set(apps).isSubset(of: reportedApps) else { return }
        announcedStart = true
        log("every app started")
        do { try onAppsStarted() } catch { KvmFailure.warn("recording the pod's apps as started: \(error)") }
    }

    private func forward(_ bytes: [UInt8], from app: String, standardError: Bool, stream: inout GuestStream) {
        let target: Int32 = standardError ? 2 : 1
        if prefixOutput, let log = logFile(app) { try? AtomicFile.writeAll(log, bytes, path: files.appLog(app)) }
        guard prefixOutput else {
            try? AtomicFile.writeAll(target, bytes, path: standardError ? "stderr" : "stdout")
            return
        }
        stream.pending += bytes
        var text: [UInt8] = []
        while let newline = stream.pending.firstIndex(of: 0x0A) {
            text += Array("\(app): ".utf8) + stream.pending[...newline]
            stream.pending.removeSubrange(...newline)
        }
        if stream.pending.count > 4096 {  // a very long line without newline goes out in pieces
            text += Array("\(app): ".utf8) + stream.pending + [0x0A]
            stream.pending = []
        }
        if !text.isEmpty { try? AtomicFile.writeAll(target, text, path: standardError ? "stderr" : "stdout") }
    }

    private func logFile(_ app: String) -> Int32? {
        if let fd = logFiles[app] { return fd >= 0 ? fd : nil }
        try? FileSystem.makeDirectories(files.logs, mode: 0o750)
        let fd = open(files.appLog(app), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else {
            KvmFailure.warn("\(files.appLog(app)): \(String(cString: strerror(errno))); the app's output is not kept")
            logFiles[app] = -1
            return nil
        }
        logFiles[app] = fd
        return fd
    }

    private func end(_ fd: Int32) {
        guard let stream = streams.removeValue(forKey: fd) else { return }
        if case .output(let app, let standardError)? = stream.role, prefixOutput, !stream.pending.isEmpty {
            try? AtomicFile.writeAll(standardError ? 2 : 1, Array("\(app): ".utf8) + stream.pending + [0x0A], path: "output")
        }
        close(fd)
    }

    /// After `poweroff`: once no app stream is open (or the deadline passed: a daemon the app left behind
    /// may hold one), close the control channel so GuestInit powers off.
    private func closeControlAfterPoweroff() {
        guard let deadline = poweroffDeadline else { return }
        let outputOpen = streams.values.contains { if case .output? = $0.role { true } else { false } }
        guard !outputOpen || deadline.timeIntervalSinceNow <= 0 else { return }
        for (fd, stream) in streams where stream.role == .control { end(fd) }
        poweroffDeadline = nil
    }

    /// SIGTERM/SIGINT/SIGHUP to stage1 (Ctrl-C on `rkt run`): the first stops the VMM cleanly, a second kills it.
    private func forwardStopSignal() {
        var info = signalfd_siginfo()
        _ = read(signals, &info, MemoryLayout<signalfd_siginfo>.size)
        guard !vmmExited else { return }
        kill(vmm.pid, stopRequested ? SIGKILL : SIGTERM)
        stopRequested = true
    }
}
