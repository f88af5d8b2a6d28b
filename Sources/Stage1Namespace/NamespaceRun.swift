import CNI
import CStage1
import Foundation
import Isolation
import LinuxSupport
import PodNetworking
import Pods

/// The `run` entrypoint: in the pod directory, with the pod lock inherited as RKT_LOCK_FD, enter new mount,
/// UTS, IPC and network namespaces (network only without `--net=host`), then fork the pod init as PID 1 of a
/// new PID namespace. The init sets the pod up and starts every app (see `PodInit`); this process stays on
/// the host side holding the pod lock, writes `ppid` (itself) and `pid` (the init), forwards SIGTERM, SIGINT
/// and SIGHUP to the init, relays the output of multi-app pods, and exits with the app's status for a
/// single-app pod (for several apps: 0 when all succeeded, else the status of the first app that failed).
struct NamespaceRun {
    let options: Stage1Arguments

    init(arguments: [String]) throws {
        options = try Stage1Arguments(parsing: arguments)
    }

    func run() throws -> Int32 {
        let pod = try PodDefinition()
        _ = try inheritedLock()
        Descriptors.closeOnExecAbove(2)
        let hostname = options.hostname ?? "rkt-\(options.uuid)"
        guard Self.isValidHostname(hostname) else {
            throw NamespaceError("--hostname \(hostname.debugDescription): letters, digits, '-' and '.' only, at most 64 characters")
        }
        let apps = try pod.apps.map { try PreparedApp(pod: pod, app: $0, options: options) }
        // Named before it exists, so that gc finds whatever part of it a failure leaves behind.
        let cgroupParent = try PodCgroup.configuredParent()
        try ScratchFile.write(PodCgroup.subcgroup(uuid: options.uuid, parent: cgroupParent), to: pod.files.subcgroup)
        let cgroup = try PodCgroup.create(uuid: options.uuid, parent: cgroupParent, apps: apps.map(\.cgroupRequest))
        try cgroup.enter()

        let selection = try NetworkSelection(parsing: options.net)
        let ports = try PortForwards.mappings(exposed: pod.manifest.ports, declared: pod.apps.flatMap(\.definition.ports))
        if !ports.isEmpty && selection.requests.isEmpty {
            throw NamespaceError("--port needs a CNI network (--net=\(options.net) has none)")
        }
        let network = try PodNetwork(files: pod.files, uuid: options.uuid).enter(selection, options: options, ports: ports)
        do {
            let status = try start(pod: pod, apps: apps, hostname: hostname, cgroup: cgroup, dns: network.dns, started: { network.rollback?.started() })
            // The pod has exited: its addresses and forwarded ports are free for the next pod (not only after gc).
            network.rollback?.exited()
            return status
        } catch {
            network.rollback?.rollBack()
            throw error
        }
    }

    /// Everything after the network: the other namespaces, the pod init, the apps. `started` runs once every
    /// app is running (until then a failure rolls the network back).
    private func start(pod: PodDefinition, apps: [PreparedApp], hostname: String, cgroup: PodCgroup, dns: String?,
                       started: () -> Void) throws -> Int32 {
        let flags = cstage1_clone_newns | cstage1_clone_newuts | cstage1_clone_newipc | cstage1_clone_newpid
        guard cstage1_unshare(flags) == 0 else { throw SystemError.current("unshare pod namespaces") }
        try Mounter.makeRootSlave()
        try FileSystem.makeDirectories(pod.files.statusDirectory, mode: 0o755)

        let relay = try LogRelay(pod: pod, apps: apps.map(\.name), separate: apps.count > 1 && !options.interactive)
        let readiness = try PipeEnds.make()
        let initProcess = PodInit(pod: pod, apps: apps, options: options, hostname: hostname,
                                  stdio: relay.appStdio, cgroup: cgroup, readiness: readiness.write, networkDNS: dns)
        SignalForwarding.install()
        let child = fork()
        if child < 0 { throw SystemError.current("fork pod init") }
        if child == 0 {
            // The pod dies with this process (which holds the pod lock): a pod never runs unlocked.
            _ = cstage1_set_parent_death_signal(SIGKILL)
            close(readiness.read)
            relay.closeReadEnds()
            initProcess.runAsPID1()
        }
        SignalForwarding.child = child
        // A reader of rkt's output that goes away must not end the pod (the apps keep their own SIGPIPE).
        signal(SIGPIPE, SIG_IGN)
        close(readiness.write)
        relay.closeWriteEnds()
        try SmallFile.writeInteger(Int(getpid()), to: pod.files.ppid)
        let report = PipeEnds.readText(from: readiness.read)
        close(readiness.read)
        if !report.isEmpty {
            let status = ExitStatus.wait(child)
            debug("pod init exited with status \(status) during setup")
            throw NamespaceError(report)
        }
        try SmallFile.writeInteger(Int(child), to: pod.files.pid)
        started()
        debug("pod \(options.uuid): init is pid \(child), \(apps.count) app(s) started")
        relay.run()
        let initStatus = ExitStatus.wait(child)
        debug("pod init exited with status \(initStatus)")
        return try collectStatuses(pod: pod, apps: apps, initStatus: initStatus)
    }

    /// Every app's recorded status; an app without one (the init was killed) is recorded as killed too.
    private func collectStatuses(pod: PodDefinition, apps: [PreparedApp], initStatus: Int32) throws -> Int32 {
        var statuses: [Int32] = []
        for app in apps {
            let path = pod.files.appStatus(app.name)
            if let value = try SmallFile.readInteger(path) {
                statuses.append(Int32(truncatingIfNeeded: value))
            } else {
                let status = initStatus > 128 ? initStatus : 128 + SIGKILL
                try SmallFile.writeInteger(Int(status), to: path)
                statuses.append(status)
            }
        }
        if statuses.count == 1 { return statuses[0] }
        return statuses.first { $0 != 0 } ?? 0
    }

    static func isValidHostname(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && !name.hasPrefix("-") && !name.hasPrefix(".")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    /// The pod lock stage0 took; stage1 keeps it open (never passing it to the apps) until it exits.
    private func inheritedLock() throws -> Int32 {
        guard let text = ProcessInfo.processInfo.environment["RKT_LOCK_FD"], let fd = Int32(text), fd > 2,
              fcntl(fd, F_GETFD) >= 0 else {
            throw NamespaceError("RKT_LOCK_FD does not name an open descriptor (stage1 must be started by rkt)")
        }
        return fd
    }


    private func debug(_ message: String) {
        if options.debug { NamespaceFailure.write("[debug] \(message)") }
    }
}
