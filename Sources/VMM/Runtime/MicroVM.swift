import LinuxSupport
import Virtio
#if canImport(Glibc)
import Glibc
#endif

/// One micro-VM assembled from a `MachineConfiguration`: KVM VM with in-kernel irqchip and PIT, guest RAM,
/// the kernel laid out for the 64-bit boot protocol, legacy devices on the port bus, virtio-mmio disks on
/// the MMIO bus, vCPUs configured with the host's CPUID profile. `run()` drives it to its end.
public final class MicroVM: @unchecked Sendable {
    public let configuration: MachineConfiguration
    public let profile: CpuidProfile
    /// The full kernel command line the guest is given.
    public private(set) var commandLine = KernelCommandLine()
    public let vm: VirtualMachine
    public let memory: GuestMemory
    public let ioBus = IOBus()
    public let mmioBus = MMIOBus()
    public let serial: Serial8250
    public internal(set) var transports: [MMIOTransport] = []
    /// The virtio console's transport when the guest console is hvc0.
    public internal(set) var virtioConsole: MMIOTransport?
    let eventLoop: EventLoop
    let latch: MachineStopLatch
    private(set) var vcpus: [Vcpu] = []
    private var keepAlive: [AnyObject] = []
    private var hasRun = false

    public init(configuration: MachineConfiguration, kvm: Kvm) throws {
        self.configuration = configuration
        let log = configuration.log
        try kvm.require(Kvm.requiredCapabilities)
        guard configuration.vcpuCount >= 1, configuration.vcpuCount <= min(kvm.maximumVcpus, MpTable.maximumVcpus) else {
            throw BootError.tooManyVcpus(count: configuration.vcpuCount, limit: min(kvm.maximumVcpus, MpTable.maximumVcpus))
        }
        profile = configuration.cpuidProfile ?? CpuidProfile.detect(
            pvmModulePresent: HostFile.exists("/sys/module/kvm_pvm"),
            cpuinfo: String(decoding: (try? HostFile.read("/proc/cpuinfo", limit: 1 << 24)) ?? [], as: UTF8.self))
        log?("CPUID profile: \(profile.rawValue)")
        log?("nested virtualization: \(configuration.nestedVirtualization ? "offered (VMX/SVM shown to the guest)" : "hidden (no VMX/SVM in the guest's CPUID)")")

        let loop = try EventLoop()
        eventLoop = loop
        latch = MachineStopLatch { loop.stop() }
        vm = try kvm.createVirtualMachine()
        try vm.setTssAddress(X86Layout.tssAddress)
        try vm.setIdentityMapAddress(X86Layout.identityMapAddress)
        try vm.createInterruptControllerAndTimer()
        memory = try X86Boot.makeMemory(size: configuration.memorySize)
        try vm.register(memory: memory)

        serial = Serial8250(outputDescriptor: configuration.consoleDescriptor,
                            interrupt: try IrqfdInterruptLine(vm: vm, gsi: Serial8250.com1Irq))
        var line = KernelCommandLine([configuration.consoleDevice.kernelParameter] + KernelCommandLine.baseParameters)
        if configuration.quiet { line.append("quiet") }
        line.append(contentsOf: profile.kernelParameters)

        try attachLegacyDevices()
        for (index, disk) in configuration.disks.enumerated() {
            line.append(try attachDisk(disk, index: index))
        }
        if configuration.consoleDevice == .virtio {
            line.append(try attachVirtioConsole(index: configuration.disks.count))
        }
        if let vsock = configuration.vsock {
            line.append(try attachVsock(vsock, index: transports.count))
        }
        for interface in configuration.networkInterfaces {
            line.append(try attachNetwork(interface, index: transports.count))
        }
        line.append(userText: configuration.extraCommandLine)
        commandLine = line
        log?("kernel command line: \(line.text)")

        let kernel = X86Boot.Image(path: configuration.kernelPath, bytes: try HostFile.read(configuration.kernelPath))
        let initrd = try configuration.initrdPath.map { X86Boot.Image(path: $0, bytes: try HostFile.read($0)) }
        let loaded = try X86Boot.load(kernel: kernel, initrd: initrd, commandLine: line,
                                      vcpuCount: configuration.vcpuCount, memory: memory)
        log?("kernel \(loaded.format) entry 0x\(String(loaded.entryAddress, radix: 16)), \(configuration.memorySize >> 20) MiB, \(configuration.vcpuCount) vCPU(s)")
        let supported = try kvm.supportedCpuid()
        for index in 0..<configuration.vcpuCount {
            let vcpu = try vm.createVcpu(index: index)
            try vcpu.configureForLinuxBoot(entry: loaded.entryAddress,
                                           cpuid: profile.entries(from: supported, vcpuIndex: index, vcpuCount: configuration.vcpuCount,
                                                                  nestedVirtualization: configuration.nestedVirtualization))
            vcpus.append(vcpu)
        }
    }

    /// Runs the vCPUs (one thread each) and the event loop (this thread) until the guest resets, fails or
    /// `stop()` is called; returns how it ended.
    public func run() throws -> MachineExit {
        guard !hasRun else { throw MicroVMError.alreadyRan }
        hasRun = true
        VcpuKickSignal.install()
        if let input = configuration.inputDescriptor { try forwardInput(from: input) }
        var stopSignals: StopSignals?
        if !configuration.stopSignals.isEmpty {
            let signals = try StopSignals(configuration.stopSignals)
            let latch = self.latch, log = configuration.log
            try eventLoop.add(signals.descriptor) {
                while let signal = signals.next() {
                    log?("signal \(signal): stopping the guest")
                    latch.stop(.signaled(signal))
                }
            }
            stopSignals = signals
        }
        defer { withExtendedLifetime(stopSignals) {} }
        if configuration.jail {
            let plan = try VMMJailPlan(workingDirectory: try VMMJail.currentWorkingDirectory(),
                                       socketPaths: configuration.vsock.map { [$0.socketPath] } ?? [])
            try VMMJail.enter(plan)
            configuration.log?("jail entered: root is a read-only tmpfs holding \(plan.boundDirectories.isEmpty ? "nothing" : plan.boundDirectories.joined(separator: ", "))")
        }
        if configuration.dropCapabilities { try VMMCapabilities.dropAll() }
        if let mode = configuration.seccomp {
            try VMMSeccompFilter.install(mode: mode, allowUnixSockets: configuration.vsock != nil)
            configuration.log?("seccomp filter loaded (\(mode)), \(VMMSeccompFilter.allowedSystemCalls.count) system calls allowed")
        }
        var threads: [HostThread] = []
        var runners: [VcpuRunner] = []
        for vcpu in vcpus {
            let runner = VcpuRunner(vcpu: vcpu, ioBus: ioBus, mmioBus: mmioBus, latch: latch, log: configuration.log,
                                    ripSamples: configuration.guestProfile == nil ? nil : GuestRipHistogram())
            runners.append(runner)
            do {
                threads.append(try HostThread(name: "vcpu\(vcpu.index)") { runner.run() })
            } catch {
                latch.stop(.failed("starting vCPU \(vcpu.index): \(error)"))
                break
            }
        }
        let sampler = configuration.guestProfile.map { GuestSampler(intervalMicroseconds: $0.intervalMicroseconds) }
        do { try sampler?.start(signalling: threads) } catch { latch.stop(.failed("starting the guest sampler: \(error)")) }
        var loopError: Error?
        do { try eventLoop.run() } catch {
            loopError = error
            latch.stop(.failed("event loop: \(error)"))
        }
        sampler?.stop()
        for (vcpu, thread) in zip(vcpus, threads) {
            vcpu.requestExit()
            thread.signal(VcpuKickSignal.number)
        }
        threads.forEach { $0.join() }
        for runner in runners {
            configuration.log?("vCPU \(runner.vcpu.index): \(runner.statistics.summary()); \(runner.vcpu.stateSummary)")
        }
        if let profile = configuration.guestProfile { try writeGuestProfile(runners, profile) }
        if let loopError, latch.exit == nil { throw loopError }
        return latch.exit ?? .stopped
    }

    private func writeGuestProfile(_ runners: [VcpuRunner], _ profile: MachineConfiguration.GuestProfile) throws {
        let all = GuestRipHistogram()
        for runner in runners { if let samples = runner.ripSamples { all.merge(samples) } }
        let bytes = Array(all.report(intervalMicroseconds: profile.intervalMicroseconds).utf8)
        try AtomicFile.writeAll(profile.descriptor, bytes, path: "guest profile")
    }

    /// Ends the run from any thread.
    public func stop() { latch.stop(.stopped) }

    func retain(_ object: AnyObject) { keepAlive.append(object) }
}
