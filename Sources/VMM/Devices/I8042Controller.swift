import LinuxSupport

/// The PS/2 controller, just enough of it: the status port, the command byte, self-test, and command 0xFE
/// (pulse the reset line), which a Linux guest booted with `reboot=k` uses to reboot: that ends the VM, as in
/// Firecracker. Registered on ports 0x60 (data) and 0x64 (status/command) as two one-port devices that
/// share this state.
public final class I8042Controller: @unchecked Sendable {
    public static let dataPort: UInt16 = 0x60
    public static let commandPort: UInt16 = 0x64
    static let commandReadConfiguration: UInt8 = 0x20
    static let commandWriteConfiguration: UInt8 = 0x60
    static let commandSelfTest: UInt8 = 0xaa
    static let commandResetLine: UInt8 = 0xfe
    static let statusOutputFull: UInt8 = 0x01
    static let selfTestPassed: UInt8 = 0x55

    private let lock = ThreadLock()
    private let onReset: @Sendable () -> Void
    private var output: [UInt8] = []
    private var configuration: UInt8 = 0x30  // both ports' clocks disabled, no interrupts
    private var expectingConfiguration = false

    public init(onReset: @escaping @Sendable () -> Void) {
        self.onReset = onReset
    }

    /// The device for port 0x60.
    public lazy var dataPortDevice: any BusDevice = Port(controller: self, isCommandPort: false)
    /// The device for port 0x64.
    public lazy var commandPortDevice: any BusDevice = Port(controller: self, isCommandPort: true)

    final class Port: BusDevice, @unchecked Sendable {
        unowned let controller: I8042Controller
        let isCommandPort: Bool

        init(controller: I8042Controller, isCommandPort: Bool) {
            self.controller = controller
            self.isCommandPort = isCommandPort
        }

        func read(offset: UInt64, count: Int) -> [UInt8] {
            let value = isCommandPort ? controller.status() : controller.readData()
            return [value] + [UInt8](repeating: 0, count: max(count - 1, 0))
        }

        func write(offset: UInt64, bytes: [UInt8]) {
            guard let value = bytes.first else { return }
            if isCommandPort { controller.command(value) } else { controller.writeData(value) }
        }
    }

    func status() -> UInt8 {
        lock.withLock { output.isEmpty ? 0 : Self.statusOutputFull }
    }

    func readData() -> UInt8 {
        lock.withLock { output.isEmpty ? 0 : output.removeFirst() }
    }

    func writeData(_ value: UInt8) {
        lock.withLock {
            if expectingConfiguration {
                configuration = value
                expectingConfiguration = false
            }
        }
    }

    func command(_ value: UInt8) {
        var reset = false
        lock.withLock {
            switch value {
            case Self.commandReadConfiguration: output.append(configuration)
            case Self.commandWriteConfiguration: expectingConfiguration = true
            case Self.commandSelfTest: output.append(Self.selfTestPassed)
            case Self.commandResetLine: reset = true
            default: break
            }
        }
        if reset { onReset() }
    }
}
