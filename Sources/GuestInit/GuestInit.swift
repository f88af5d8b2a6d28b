import CKvmPod
import Glibc
import GuestProtocol
import LinuxSupport

/// PID 1 of the kvm flavor's micro-VM: reads the pod config from its disk, assembles every app's root,
/// runs the apps with their output streamed to the host over vsock, reports their exits, serves
/// `stop`/`enter`, and powers the VM off (the i8042 reset the VMM treats as a clean exit) when they are done.
enum GuestInit {
    static func run() -> Never {
        signal(SIGPIPE, SIG_IGN)
        var control: VsockStream?
        do {
            GuestFiles.debug("started")
            try KernelFilesystems.mount()
            let signals = try childSignals()
            let config = try readConfig()
            GuestFiles.debug("config read: \(config.apps.count) app(s), \(config.diskCount) disks")
            let channel = try VsockStream.connect(toHostPort: GuestPorts.host)
            control = channel
            try channel.send(.control)
            GuestFiles.debug("control channel connected")
            try PodAssembler(config: config).assemble()
            GuestFiles.debug("pod assembled")
            let listener = try VsockStream.listen(onPort: GuestPorts.guest)
            try channel.send(.ready)
            let supervisor = Supervisor(config: config, control: channel, listener: listener, signals: signals)
            for app in config.apps {
                do {
                    let pid = try start(app)
                    supervisor.adopt(app: app.name, pid: pid)
                    try channel.send(.started(app: app.name, pid: pid))
                    GuestFiles.debug("app \(app.name) started as pid \(pid)")
                } catch {
                    try channel.send(.failed(app: app.name, reason: "\(error)"))
                }
            }
            try supervisor.run()
        } catch {
            GuestFiles.log("\(error)")
            try? control?.send(.error("\(error)"))
        }
        if let control { finish(control) }
        powerOff()
    }

    private static func childSignals() throws -> Int32 {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGCHLD)
        guard sigprocmask(SIG_BLOCK, &set, nil) == 0 else { throw SystemError.current("sigprocmask") }
        let fd = signalfd(-1, &set, Int32(SFD_CLOEXEC | SFD_NONBLOCK))
        guard fd >= 0 else { throw SystemError.current("signalfd") }
        return fd
    }

    private static func readConfig() throws -> GuestPodConfig {
        let path = GuestLayout.device(GuestDisks.config)
        let text = try GuestFiles.readText(path, limit: GuestDisks.maximumConfigSize)
        do {
            return try GuestPodConfig(text: text)
        } catch {
            throw SystemError(errno: EINVAL, operation: "pod config: \(error)", path: path)
        }
    }

    /// Connects the app's stdout and stderr streams to the host and starts it; our copies of the stream
    /// sockets close once the child has them, so the host sees end of file when the app (and its children) end.
    private static func start(_ app: GuestApp) throws -> pid_t {
        let stdout = try VsockStream.connect(toHostPort: GuestPorts.host)
        defer { stdout.close() }
        try stdout.send(.stdout(app: app.name))
        let stderr = try VsockStream.connect(toHostPort: GuestPorts.host)
        defer { stderr.close() }
        try stderr.send(.stderr(app: app.name))
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard null >= 0 else { throw SystemError.current("open", path: "/dev/null") }
        defer { close(null) }
        return try AppLauncher.start(AppLauncher.Process(
            root: GuestLayout.appRoot(app.name), workingDirectory: app.workingDirectory, program: app.program,
            arguments: app.arguments,
            environment: app.environment, uid: app.uid, gid: app.gid, supplementaryGIDs: app.supplementaryGIDs,
            stdio: (null, stdout.descriptor, stderr.descriptor), retainedCapabilities: app.retainedCapabilities,
            seccompFilter: app.seccompFilter))
    }

    /// Says `poweroff` and waits (bounded) until the host closes the control channel: it does so once it has
    /// every app's output, so nothing still in flight is lost with the VM.
    private static func finish(_ control: VsockStream) {
        guard (try? control.send(.poweroff)) != nil else { return }
        var descriptor = pollfd(fd: control.descriptor, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        while poll(&descriptor, 1, 10_000) > 0, read(control.descriptor, &byte, 1) > 0 {}
    }

    private static func powerOff() -> Never {
        sync()
        _ = reboot(Int32(RB_AUTOBOOT))
        GuestFiles.log("reboot failed: errno \(errno)")
        while true { pause() }
    }
}
