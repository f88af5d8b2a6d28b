/// What to run: everything `rkt-vmm`'s flags (or stage1-kvm) decide about one micro-VM.
public struct MachineConfiguration: Sendable {
    public struct Disk: Equatable, Sendable {
        public var path: String
        public var readOnly: Bool
        public init(path: String, readOnly: Bool) {
            self.path = path
            self.readOnly = readOnly
        }
    }

    /// A virtio-vsock device with Firecracker's hybrid host side: host clients connect to `socketPath` and
    /// write "CONNECT <port>\n"; guest connections to host port P reach the Unix socket "`socketPath`_P".
    public struct Vsock: Equatable, Sendable {
        public var guestCID: UInt64
        public var socketPath: String
        public init(guestCID: UInt64, socketPath: String) {
            self.guestCID = guestCID
            self.socketPath = socketPath
        }
    }

    /// A virtio-net interface backed by a host tap device (created if missing; configured by the caller).
    public struct NetworkInterface: Equatable, Sendable {
        public var tapName: String
        public var mac: [UInt8]
        public init(tapName: String, mac: [UInt8]) {
            self.tapName = tapName
            self.mac = mac
        }
    }

    public var kernelPath: String
    public var initrdPath: String?
    /// Added after the VMM's own kernel parameters.
    public var extraCommandLine: String = ""
    public var memorySize: UInt64 = 256 << 20
    public var vcpuCount: Int = 1
    public var disks: [Disk] = []
    /// nil: no vsock device.
    public var vsock: Vsock? = nil
    /// The guest's eth0, eth1, … in this order.
    public var networkInterfaces: [NetworkInterface] = []
    /// Which device is the guest's console: the 8250 UART (ttyS0: every byte is a port exit, but it works
    /// from the first kernel message) or virtio-console (hvc0: buffers per exit, from driver load on).
    public enum ConsoleDevice: String, Sendable {
        case serial, virtio
        public var kernelParameter: String { self == .serial ? "console=ttyS0" : "console=hvc0" }
    }
    public var consoleDevice: ConsoleDevice = .serial
    /// Where the console's output goes (not owned; stdout by default).
    public var consoleDescriptor: Int32 = 1
    /// Forward this descriptor's input (stdin) to the serial console; nil: no input.
    public var inputDescriptor: Int32? = nil
    /// Signals that stop the guest cleanly (blocked and handled by the event loop); empty: default actions.
    public var stopSignals: [Int32] = []
    /// Jail applied after assembly, before the guest runs, in this order: enter `VMMJail` (own mount, IPC,
    /// UTS and empty network namespaces; a read-only tmpfs root holding only the vsock socket's directory),
    /// drop every capability, then load the seccomp allowlist (`VMMSeccompFilter`) in this mode; nil: no filter.
    public var jail = false
    public var dropCapabilities = false
    public var seccomp: VMMSeccompFilter.Mode? = nil
    /// A sampling profile of the guest: every `intervalMicroseconds` each vCPU records its guest instruction
    /// pointer (`GuestSampler`); when the machine ends the report (`GuestRipHistogram.report`) is written to
    /// `descriptor` (not owned). For finding where an emulated guest kernel spends its time.
    public struct GuestProfile: Equatable, Sendable {
        public var descriptor: Int32
        public var intervalMicroseconds: Int
        public init(descriptor: Int32, intervalMicroseconds: Int = 1000) {
            self.descriptor = descriptor
            self.intervalMicroseconds = intervalMicroseconds
        }
    }
    public var guestProfile: GuestProfile? = nil
    /// nil: detect from the host (`CpuidProfile.detect`).
    public var cpuidProfile: CpuidProfile? = nil
    /// Show the host CPU's VMX/SVM to the guest (nested virtualization); hidden by default
    /// (`NestedVirtualizationMask`).
    public var nestedVirtualization: Bool = false
    /// Adds `quiet` to the kernel parameters.
    public var quiet: Bool = true
    /// Diagnostics (one line each); nil: silent.
    public var log: (@Sendable (String) -> Void)? = nil

    public init(kernelPath: String) { self.kernelPath = kernelPath }
}
