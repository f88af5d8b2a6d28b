import AppC
import CKvmPod
import Foundation
import GuestProtocol
import Isolation
import LinuxSupport
import PodNetworking
import Pods

/// The `run` entrypoint: in the pod directory, with the pod lock inherited as RKT_LOCK_FD, build the pod's
/// disks and guest config, start the VMM on them, and follow the guest until it powers off. Writes `ppid`
/// (this process) and, once the guest has started every app, `pid` (the VMM), each app's exit status as the
/// guest reports it, and exits with the app's status for a single-app pod (for several apps: the first
/// non-zero status, else 0).
struct KvmRun {
    let options: Stage1Arguments
    let stage1: KvmStage1Files

    init(arguments: [String], stage1: KvmStage1Files) throws {
        options = try Stage1Arguments(parsing: arguments)
        self.stage1 = stage1
    }

    func run() throws -> Int32 {
        let start = Date()
        let pod = PodFiles(directory: FileManager.default.currentDirectoryPath)
        let files = KvmPodFiles(pod: pod)
        guard ProcessInfo.processInfo.environment["RKT_LOCK_FD"].flatMap(Int32.init) != nil else {
            throw KvmError("RKT_LOCK_FD is not set (stage1 must be started by rkt)")
        }
        Descriptors.closeOnExecAbove(2)
        try Self.checkNetworkChoice(options.net)
        try KvmHost.checkUsable()
        try stage1.check()
        let manifest = try PodManifest(jsonData: try Data(contentsOf: URL(fileURLWithPath: pod.manifest)))
        guard !manifest.apps.isEmpty else { throw KvmError("the pod has no apps") }

        try FileSystem.makeDirectories(KvmPodFiles.directory, mode: 0o700)
        var plan = try KvmPodPlan(manifest: manifest, options: options, sources: .init(
            stage1Root: stage1.guestRoot, configDisk: files.configDisk, scratchDisk: files.scratchDisk,
            appRootDisk: { app in try Self.rootDisk(of: app, files: files) },
            appRootfs: { pod.appRootfs($0) }, volumeDisk: { files.volumeDisk($0) }),
            hostCPUs: sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        // From here on this thread (and the VMM it starts) is in the pod's network namespace; until the guest
        // is ready, a failure deletes the pod's networks again.
        let network = try KvmNetwork.setUp(options: options, pod: pod, manifest: manifest)
        var started = false
        defer {
            // Before the guest was ready: rolled back; after: the pod has exited, its networks and forwarded
            // ports are released now (the record stays for rkt status/list), not only at gc.
            network.rollback?.exited()
        }
        plan.config.interfaces = network.devices.map(\.interface)
        try plan.config.applyNames(stage1Rootfs: pod.stage1Rootfs, networkDNS: network.dns)
        debug("network: \(network.devices.map { "\($0.tap) \($0.interface.address)/\($0.interface.prefixLength)" })")
        return try boot(plan: plan, network: network, manifest: manifest, pod: pod, files: files, start: start) {
            if !started { network.rollback?.started() }
            started = true
        }
    }

    /// Disks, cgroup, VMM and the guest session; `ready` runs when the guest reports its apps started.
    private func boot(plan: KvmPodPlan, network: KvmNetwork, manifest: PodManifest, pod: PodFiles, files: KvmPodFiles,
                      start: Date, ready: @escaping () -> Void) throws -> Int32 {
        try PodDisks.writeConfig(plan.config, to: files.configDisk)
        try PodDisks.makeScratch(at: files.scratchDisk)
        for (index, volume) in plan.hostVolumes { try PodDisks.makeVolume(at: plan.disks[index].path, from: volume) }
        debug("disks ready after \(Self.seconds(since: start)): \(plan.disks.map(\.argument).joined(separator: " "))")

        // The pod's cgroup (named before it exists, so that gc finds what a failure leaves): stage1 enters it,
        // and the VMM it starts inherits it, so the VM's memory and the VMM's own overhead count for the pod.
        let cgroupParent = try PodCgroup.configuredParent()
        try AtomicFile.write(Array(PodCgroup.subcgroup(uuid: options.uuid, parent: cgroupParent).utf8), to: pod.subcgroup)
        try PodCgroup.create(uuid: options.uuid, parent: cgroupParent, apps: []).enter()

        let listener = try UnixSocket.listen(at: files.hostChannel)
        let signals = try Self.stopSignals()
        let arguments = vmmArguments(plan: plan, files: files) + network.vmmArguments
        debug("\(stage1.vmm) \(arguments.joined(separator: " "))")
        let vmm = try VMMProcess.spawn(program: stage1.vmm, arguments: arguments)
        try SmallFile.writeInteger(Int(getpid()), to: pod.ppid)
        try SmallFile.writeInteger(Int(vmm.pid), to: files.vmmPid)

        let session = GuestSession(listener: listener, vmm: vmm, signals: signals, files: pod,
                                   prefixOutput: manifest.apps.count > 1) { message in
            debug("[\(Self.seconds(since: start))] \(message)")
        }
        session.onReady = ready
        // `pid` marks the pod started (rkt status --wait-ready, started=, rkt enter): once the guest has
        // started every app, not when the VMM starts or the guest has assembled the roots.
        session.apps = manifest.apps.map(\.name.value)
        session.onAppsStarted = { try SmallFile.writeInteger(Int(vmm.pid), to: pod.pid) }
        let outcome = try session.run()
        return try Self.status(of: outcome, apps: manifest.apps.map(\.name.value), console: files.console)
    }

    /// Root on the stage1 disk, GuestInit as init. The kernel hands `SWIFT_BACKTRACE` to init's environment:
    /// a static Swift binary otherwise looks for its crash handler through /proc/self/exe at start-up, before
    /// GuestInit has mounted /proc, and aborts.
    static let guestCommandLine = "root=/dev/vda rootfstype=erofs ro init=/init SWIFT_BACKTRACE=enable=no,swift-backtrace=/none"

    /// The VMM confines itself once the machine is assembled: its own mount namespace with a read-only root
    /// holding only `kvm/` (the vsock sockets), no capabilities, and a seccomp allowlist that kills it on any
    /// other system call (reported by `VMMTermination`).
    static let vmmJailArguments = ["--jail", "--drop-capabilities", "--seccomp", "kill"]

    /// `rkt run` with this set to a path (absolute: the VMM runs in the pod's directory) has rkt-vmm write a
    /// sampling profile of the guest there (`rkt-vmm --guest-profile`; scripts/guest-profile.py reads it).
    static let guestProfileVariable = "RKT_KVM_GUEST_PROFILE"

    private func vmmArguments(plan: KvmPodPlan, files: KvmPodFiles) -> [String] {
        var arguments = ["--kernel", stage1.kernel, "--memory", "\(plan.size.memoryMiB)M", "--cpus", "\(plan.size.cpus)",
                         "--cmdline", Self.guestCommandLine + (options.debug ? " RKT_GUEST_DEBUG=1" : ""),
                         "--vsock", "\(GuestPorts.guestCID),\(files.vsock)",
                         "--console", "file:\(files.console)"] + Self.vmmJailArguments
        for disk in plan.disks { arguments += ["--disk", disk.argument] }
        if options.debug { arguments.append("--debug") }
        // A sampling profile of the guest for finding where a pod's start-up goes (docs/kvm.md).
        if let profile = ProcessInfo.processInfo.environment[Self.guestProfileVariable], !profile.isEmpty {
            arguments += ["--guest-profile", profile]
        }
        return arguments
    }

    /// The pod's exit status from what the guest reported; a VM that ended without reporting every app, or
    /// whose VMM was killed by its seccomp filter, is a failure, explained with how the VMM ended and the end
    /// of the guest console.
    static func status(of outcome: GuestSession.Outcome, apps: [String], console consolePath: String) throws -> Int32 {
        let missing = apps.filter { outcome.appStatuses[$0] == nil }
        let vmm = outcome.vmm.map(\.description) ?? "rkt-vmm was not reaped"
        if outcome.vmm?.isSeccompViolation == true, missing.isEmpty {
            let statuses = apps.map { "\($0): \(outcome.appStatuses[$0] ?? 0)" }.joined(separator: ", ")
            throw KvmError("\(vmm); the apps had reported their exit statuses (\(statuses))")
        }
        if case .killed? = outcome.vmm, missing.isEmpty { KvmFailure.warn(vmm + " after every app reported its exit status") }
        guard missing.isEmpty else {
            let console = (try? String(contentsOfFile: consolePath, encoding: .utf8)) ?? ""
            let tail = console.split(separator: "\n").suffix(15).joined(separator: "\n")
            let reason = outcome.guestErrors.last.map { "; guest init reported: \($0)" } ?? ""
            throw KvmError("the pod VM ended (\(vmm)) before app(s) \(missing.joined(separator: ", ")) " +
                           "reported an exit status\(reason)" + (tail.isEmpty ? "" : "; guest console ends with:\n" + tail))
        }
        if apps.count == 1 { return outcome.appStatuses[apps[0]] ?? KvmFailure.status }
        return apps.lazy.compactMap { outcome.appStatuses[$0] }.first { $0 != 0 } ?? 0
    }

    /// The VM has its own kernel and network stack: the host's namespace cannot be shared with it.
    static func checkNetworkChoice(_ net: String) throws {
        if net.split(separator: ",").contains(where: { $0 == "host" }) {
            throw KvmError("--net=host is not available in the kvm flavor: the VM has its own kernel and network stack; " +
                           "use --net=none, or the namespace flavor (--stage1-name=coreos.com/rkt/stage1-coreos) for the host's network")
        }
    }

    private static func rootDisk(of app: String, files: KvmPodFiles) throws -> String {
        guard let path = try SmallFile.read(files.appRootDisk(app), limit: 4096)?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw KvmError("\(files.appRootDisk(app)): missing; this stage0 did not build the app's image disk " +
                           "(the kvm stage1 needs an rkt that honours the \(KvmStage1Files.rootDiskAnnotation) annotation)")
        }
        guard path.hasPrefix("/") else {
            throw KvmError("\(files.appRootDisk(app)): \(path.debugDescription) is not an absolute path (stage0 must write the disk image's absolute path)")
        }
        return path
    }

    /// SIGTERM, SIGINT and SIGHUP arrive on a signalfd the session polls.
    private static func stopSignals() throws -> Int32 {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, signal) }
        guard pthread_sigmask(SIG_BLOCK, &set, nil) == 0 else { throw SystemError.current("sigprocmask") }
        let fd = signalfd(-1, &set, Int32(SFD_CLOEXEC | SFD_NONBLOCK))
        guard fd >= 0 else { throw SystemError.current("signalfd") }
        return fd
    }

    private static func seconds(since start: Date) -> String { String(format: "%.2f s", Date().timeIntervalSince(start)) }

    private func debug(_ message: String) {
        if options.debug { KvmFailure.warn("[debug] \(message)") }
    }
}
