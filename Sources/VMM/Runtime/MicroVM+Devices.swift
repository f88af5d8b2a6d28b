import LinuxSupport
import Virtio
#if canImport(Glibc)
import Glibc
#endif

extension MicroVM {
    /// COM1, the i8042 (whose reset command ends the VM) and the cheap sinks for other legacy ports.
    func attachLegacyDevices() throws {
        try ioBus.register(serial, port: Serial8250.com1Port, count: Serial8250.portCount)
        let latch = self.latch
        let i8042 = I8042Controller { latch.stop(.guestReset) }
        retain(i8042)
        try ioBus.register(i8042.dataPortDevice, port: I8042Controller.dataPort, count: 1)
        try ioBus.register(i8042.commandPortDevice, port: I8042Controller.commandPort, count: 1)
        for range in LegacyPortSink.standardRanges {
            try ioBus.register(LegacyPortSink(fill: range.fill), port: range.port, count: range.count)
        }
    }

    /// A virtio-blk disk in virtio window `index`. Returns its kernel parameter.
    func attachDisk(_ disk: MachineConfiguration.Disk, index: Int) throws -> String {
        let log = configuration.log
        let backend = try BlockFileBackend(path: disk.path, readOnly: disk.readOnly)
        let device = BlockDevice(backend: backend, identifier: "rkt-disk\(index)") { log?("disk \(disk.path): \($0)") }
        return try attachVirtioDevice(device, index: index)
    }

    /// The virtio console (the guest's hvc0) in virtio window `index`, writing to the console descriptor.
    func attachVirtioConsole(index: Int) throws -> String {
        let log = configuration.log
        let output = ConsoleOutput(descriptor: configuration.consoleDescriptor, name: "console")
        let device = ConsoleDevice(output: output) { log?("console: \($0)") }
        let fragment = try attachVirtioDevice(device, index: index)
        virtioConsole = transports.last
        return fragment
    }

    /// The virtio-vsock device in virtio window `index`, with its hybrid Unix-socket backend driven by the
    /// event loop (the backend's epoll descriptor stands for all its sockets).
    func attachVsock(_ vsock: MachineConfiguration.Vsock, index: Int) throws -> String {
        let log = configuration.log
        let backend = try VsockUnixBackend(path: vsock.socketPath)
        let device = try VsockDevice(guestCID: vsock.guestCID, backend: backend) { log?("vsock: \($0)") }
        let fragment = try attachVirtioDevice(device, index: index)
        let transport = transports[transports.count - 1]
        try eventLoop.add(backend.pollDescriptor) {
            _ = transport.withDevice(VsockDevice.self) { try $0.handleBackendEvents() }
        }
        log?("vsock: guest CID \(vsock.guestCID), host socket \(vsock.socketPath)")
        return fragment
    }

    /// A virtio-net interface in virtio window `index`, its tap read by the event loop while the guest has
    /// receive buffers (`NetworkPump`).
    func attachNetwork(_ interface: MachineConfiguration.NetworkInterface, index: Int) throws -> String {
        let log = configuration.log
        let backend = try TapBackend(name: interface.tapName)
        let device = NetDevice(mac: interface.mac, backend: backend) { log?("net \(interface.tapName): \($0)") }
        let pump = NetworkPump(loop: eventLoop, descriptor: backend.pollDescriptor)
        retain(pump)
        let fragment = try attachVirtioDevice(device, index: index) { queue in
            if queue == VirtioNet.receiveQueue { pump.rearm() }
        }
        pump.transport = transports[transports.count - 1]
        pump.rearm()
        log?("net: eth\(configuration.networkInterfaces.firstIndex(of: interface) ?? 0) on tap \(interface.tapName)")
        return fragment
    }

    /// Puts `device` behind a virtio-mmio transport in window `index`: registers on the MMIO bus, an irqfd on
    /// IRQ 5 + index, one ioeventfd per queue (datamatch on the queue index written to QueueNotify).
    /// Returns the `virtio_mmio.device=` kernel parameter.
    func attachVirtioDevice(_ device: any VirtioDevice, index: Int, afterNotify: ((Int) -> Void)? = nil) throws -> String {
        let base = X86Layout.virtioMmioBase + UInt64(index) * X86Layout.virtioMmioWindowSize
        let irq = X86Layout.firstVirtioIrq + UInt32(index)
        guard irq <= X86Layout.lastIrq else {
            throw BootError.tooManyDevices(count: index + 1, limit: Int(X86Layout.lastIrq - X86Layout.firstVirtioIrq) + 1)
        }
        let log = configuration.log
        let transport = MMIOTransport(device: device, memory: memory, interruptLine: try IrqfdInterruptLine(vm: vm, gsi: irq)) {
            log?("virtio-mmio 0x\(String(base, radix: 16)): \($0)")
        }
        try mmioBus.register(VirtioMMIOWindow(transport: transport), address: base, length: X86Layout.virtioMmioWindowSize)
        for queue in device.queueMaxSizes.indices {
            let kick = try EventFd()
            try vm.registerIoeventfd(kick, address: base + MMIOTransport.queueNotifyOffset, length: 4, matching: UInt64(queue))
            try eventLoop.add(kick.descriptor) {
                _ = try? kick.drain()
                transport.notify(queue: queue)
                afterNotify?(queue)
            }
            retain(kick)
        }
        transports.append(transport)
        return MMIOTransport.commandLineFragment(baseAddress: base, irq: irq)
    }

    /// Feeds what arrives on `descriptor` to the console (virtio console if attached, else serial) until end of file. A descriptor epoll cannot
    /// watch (a regular file, /dev/null) gives the guest no input.
    func forwardInput(from descriptor: Int32) throws {
        let serial = self.serial
        let loop = eventLoop
        do {
            try addInput(descriptor, serial: serial, loop: loop)
        } catch let error as SystemError where error.errno == EPERM {
            configuration.log?("console input: descriptor \(descriptor) cannot be polled; the guest gets no input")
        }
    }

    private func addInput(_ descriptor: Int32, serial: Serial8250, loop: EventLoop) throws {
        let console = virtioConsole
        try loop.add(descriptor) {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                if let console {
                    _ = console.withDevice(ConsoleDevice.self) { try $0.enqueueInput(buffer.prefix(count)) }
                } else {
                    serial.enqueueInput(buffer.prefix(count))
                }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                loop.remove(descriptor)
            }
        }
    }
}
