import ArgumentParser
import LinuxSupport
import VMM
#if canImport(Glibc)
import Glibc
#endif

/// `rkt-vmm`: boots a Linux kernel in a KVM micro-VM and exits when the guest resets (status 0) or fails.
@main
struct RktVmm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkt-vmm",
        abstract: "Run a Linux kernel in a KVM micro-VM (serial console, virtio-mmio disks).",
        discussion: """
            The guest ends the VM by rebooting (the i8042 reset, `reboot=k`): rkt-vmm then exits with status 0. \
            Internal errors and guest crashes exit non-zero with a message on stderr.
            """)

    @Option(help: "Kernel image: uncompressed vmlinux (ELF) or bzImage.")
    var kernel: String

    @Option(help: "Initial ramdisk (cpio archive, preferably uncompressed).")
    var initrd: String?

    @Option(help: "Kernel parameters added after the VMM's own.")
    var cmdline: String = ""

    @Option(help: "Guest RAM, e.g. 256M or 1G (a plain number means MiB).")
    var memory: MemorySize = MemorySize(bytes: 256 << 20)

    @Option(help: "Number of vCPUs.")
    var cpus: Int = 1

    @Option(name: .customLong("disk"), help: "A virtio-blk disk: PATH or PATH,ro (repeatable; vda, vdb, ...).")
    var disks: [DiskArgument] = []

    @Option(help: ArgumentHelp(
        "A virtio-vsock device: CID,PATH. Host clients connect to the Unix socket PATH and send \"CONNECT <port>\\n\"; guest connections to host port P go to PATH_P.",
        valueName: "cid,path"))
    var vsock: VsockArgument?

    @Option(name: .customLong("net"), help: ArgumentHelp(
        "A virtio-net interface on a host tap device: TAP[,mac=XX:XX:XX:XX:XX:XX] (repeatable; eth0, eth1, ...). The tap is created if missing; configure it on the host.",
        valueName: "tap"))
    var networkInterfaces: [NetArgument] = []

    @Option(help: "Console: stdio (output to stdout, input from stdin) or file:PATH (output only).")
    var console: ConsoleTarget = .stdio

    @Option(name: .customLong("console-device"),
            help: "The guest's console device: ttyS0 (8250 UART, from the first kernel message) or hvc0 (virtio-console).")
    var consoleDevice: ConsoleDeviceArgument = .ttyS0

    @Option(help: "Seccomp allowlist for the running VMM: off, log (allow and audit-log the rest) or kill.")
    var seccomp: SeccompArgument = .off

    @Flag(name: .customLong("drop-capabilities"), help: "Drop every capability once the machine is assembled.")
    var dropCapabilities = false

    @Flag(help: ArgumentHelp(
        "Once the machine is assembled, enter a jail: own mount, IPC, UTS and (empty) network namespaces and a read-only empty root holding only the --vsock socket's directory (at its own path). Needs CAP_SYS_ADMIN; run as root.",
        discussion: "Every file is opened before: the kernel, initrd, disks, console file, taps, /dev/kvm and the vsock listener."))
    var jail = false

    @Option(name: .customLong("guest-profile"), help: ArgumentHelp(
        "Sample each vCPU's guest instruction pointer every millisecond and write \"COUNT 0xADDRESS\" lines to FILE when the VM ends; scripts/guest-profile.py names the kernel functions (where an emulated guest kernel spends its time).",
        valueName: "file"))
    var guestProfile: String?

    @Flag(name: .customLong("nested-virtualization"), help: ArgumentHelp(
        "Offer the host CPU's virtualization extensions (Intel VMX, AMD SVM) to the guest, so it can run its own hypervisor. Off by default: they are hidden from the guest's CPUID.",
        discussion: "Needs a host whose KVM supports nesting (kvm_intel/kvm_amd nested=1)."))
    var nestedVirtualization = false

    @Flag(help: "Print the CPUID profile, the kernel command line and VMM diagnostics to stderr; omit `quiet`.")
    var debug = false

    func validate() throws {
        guard cpus >= 1 else { throw ValidationError("--cpus must be at least 1, got \(cpus)") }
        guard memory.bytes >= 16 << 20 else { throw ValidationError("--memory must be at least 16M") }
    }

    func run() throws {
        var configuration = MachineConfiguration(kernelPath: kernel)
        configuration.initrdPath = initrd
        configuration.extraCommandLine = cmdline
        configuration.memorySize = memory.bytes
        configuration.vcpuCount = cpus
        configuration.disks = disks.map { MachineConfiguration.Disk(path: $0.path, readOnly: $0.readOnly) }
        configuration.vsock = vsock.map { MachineConfiguration.Vsock(guestCID: $0.guestCID, socketPath: $0.socketPath) }
        configuration.networkInterfaces = networkInterfaces.map { MachineConfiguration.NetworkInterface(tapName: $0.tapName, mac: $0.mac) }
        configuration.quiet = !debug
        configuration.consoleDevice = consoleDevice == .ttyS0 ? .serial : .virtio
        configuration.jail = jail
        configuration.dropCapabilities = dropCapabilities
        configuration.seccomp = seccomp.mode
        configuration.nestedVirtualization = nestedVirtualization
        if debug { configuration.log = { message in Self.printError("rkt-vmm: \(message)") } }
        configuration.stopSignals = [SIGTERM, SIGINT, SIGHUP]
        var consoleDescriptor: Int32 = 1
        var rawMode: TerminalRawMode?
        switch console {
        case .stdio:
            configuration.inputDescriptor = 0
            rawMode = TerminalRawMode(descriptor: 0)
        case let .file(path):
            consoleDescriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard consoleDescriptor >= 0 else { throw SystemError.current("open", path: path) }
        }
        configuration.consoleDescriptor = consoleDescriptor
        defer { if consoleDescriptor != 1 { close(consoleDescriptor) } }
        var profileDescriptor: Int32 = -1
        if let guestProfile {
            // Opened now: the jail and the seccomp filter allow no open later.
            profileDescriptor = open(guestProfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard profileDescriptor >= 0 else { throw SystemError.current("open", path: guestProfile) }
            configuration.guestProfile = .init(descriptor: profileDescriptor)
        }
        defer { if profileDescriptor >= 0 { close(profileDescriptor) } }

        let exit: MachineExit
        do {
            let machine = try MicroVM(configuration: configuration, kvm: try Kvm())
            exit = try machine.run()
            rawMode?.restore()
        } catch {
            rawMode?.restore()
            Self.printError("rkt-vmm: \(error)")
            throw ExitCode(1)
        }
        if debug || exit.status != 0 { Self.printError("rkt-vmm: \(exit.summary)") }
        if exit.status != 0 { throw ExitCode(exit.status) }
    }

    static func printError(_ message: String) {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
