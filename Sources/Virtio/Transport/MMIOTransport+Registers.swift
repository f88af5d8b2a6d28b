extension MMIOTransport {
    /// A guest load of `count` bytes at `offset` in the window. Registers answer aligned 32-bit loads only
    /// (others read as zeros); configuration space answers any size, zero-padded past its end.
    public func read(offset: Int, count: Int) -> [UInt8] {
        guard count > 0, count <= 8, offset >= 0, offset <= Self.windowSize - count else {
            reportFault("read of \(count) bytes at offset 0x\(String(offset, radix: 16)) is outside the window")
            return [UInt8](repeating: 0, count: max(count, 0))
        }
        return lock.withLock {
            if offset >= MMIORegister.configuration {
                var bytes = device.readConfig(offset: offset - MMIORegister.configuration, count: count)
                if bytes.count > count { bytes.removeLast(bytes.count - count) }
                return bytes + [UInt8](repeating: 0, count: count - bytes.count)
            }
            guard count == 4, offset % 4 == 0 else {
                reportFault("\(count)-byte read of register 0x\(String(offset, radix: 16)); registers are 32-bit")
                return [UInt8](repeating: 0, count: count)
            }
            return withUnsafeBytes(of: registerLocked(offset).littleEndian) { Array($0) }
        }
    }

    /// A guest store of `bytes` at `offset` in the window.
    public func write(offset: Int, bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count <= 8, offset >= 0, offset <= Self.windowSize - bytes.count else {
            reportFault("write of \(bytes.count) bytes at offset 0x\(String(offset, radix: 16)) is outside the window")
            return
        }
        lock.withLock {
            if offset >= MMIORegister.configuration {
                device.writeConfig(offset: offset - MMIORegister.configuration, bytes: bytes)
                return
            }
            guard bytes.count == 4, offset % 4 == 0 else {
                reportFault("\(bytes.count)-byte write of register 0x\(String(offset, radix: 16)); registers are 32-bit")
                return
            }
            let value = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
            setRegisterLocked(offset, value)
        }
    }

    /// Convenience for 32-bit register loads.
    public func readRegister(_ offset: Int) -> UInt32 {
        read(offset: offset, count: 4).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    }

    /// Convenience for 32-bit register stores.
    public func writeRegister(_ offset: Int, _ value: UInt32) {
        write(offset: offset, bytes: withUnsafeBytes(of: value.littleEndian) { Array($0) })
    }

    private var selectedQueue: Int? {
        Int(queueSelect) < queues.count ? Int(queueSelect) : nil
    }

    private func registerLocked(_ offset: Int) -> UInt32 {
        switch offset {
        case MMIORegister.magicValue: return Self.magicValue
        case MMIORegister.version: return Self.version
        case MMIORegister.deviceID: return device.deviceType
        case MMIORegister.vendorID: return Self.vendorID
        case MMIORegister.deviceFeatures:
            return Self.half(device.deviceFeatures, select: deviceFeaturesSelect)
        case MMIORegister.queueNumMax: return selectedQueue.map { UInt32(queues[$0].maxSize) } ?? 0
        case MMIORegister.queueNum: return selectedQueue.map { UInt32(queues[$0].size) } ?? 0
        case MMIORegister.queueReady: return selectedQueue.map { queues[$0].isReady ? 1 : 0 } ?? 0
        case MMIORegister.interruptStatus: return interrupt.pendingStatus
        case MMIORegister.status: return status.rawValue
        case MMIORegister.queueDescriptorLow: return selectedQueue.map { Self.half(queues[$0].descriptorTableAddress, select: 0) } ?? 0
        case MMIORegister.queueDescriptorHigh: return selectedQueue.map { Self.half(queues[$0].descriptorTableAddress, select: 1) } ?? 0
        case MMIORegister.queueDriverLow: return selectedQueue.map { Self.half(queues[$0].availableRingAddress, select: 0) } ?? 0
        case MMIORegister.queueDriverHigh: return selectedQueue.map { Self.half(queues[$0].availableRingAddress, select: 1) } ?? 0
        case MMIORegister.queueDeviceLow: return selectedQueue.map { Self.half(queues[$0].usedRingAddress, select: 0) } ?? 0
        case MMIORegister.queueDeviceHigh: return selectedQueue.map { Self.half(queues[$0].usedRingAddress, select: 1) } ?? 0
        // No shared memory regions: Linux treats a length of ~0 as "region absent".
        case MMIORegister.sharedMemoryLengthLow, MMIORegister.sharedMemoryLengthHigh,
             MMIORegister.sharedMemoryBaseLow, MMIORegister.sharedMemoryBaseHigh:
            return UInt32.max
        case MMIORegister.configGeneration: return interrupt.configurationGeneration
        default:
            reportFault("read of write-only or unknown register 0x\(String(offset, radix: 16))")
            return 0
        }
    }

    private func setRegisterLocked(_ offset: Int, _ value: UInt32) {
        switch offset {
        case MMIORegister.deviceFeaturesSelect: deviceFeaturesSelect = value
        case MMIORegister.driverFeaturesSelect: driverFeaturesSelect = value
        case MMIORegister.driverFeatures: setDriverFeaturesLocked(value)
        case MMIORegister.queueSelect: queueSelect = value
        case MMIORegister.queueNum, MMIORegister.queueReady,
             MMIORegister.queueDescriptorLow, MMIORegister.queueDescriptorHigh,
             MMIORegister.queueDriverLow, MMIORegister.queueDriverHigh,
             MMIORegister.queueDeviceLow, MMIORegister.queueDeviceHigh:
            setQueueRegisterLocked(offset, value)
        case MMIORegister.queueNotify: notifyLocked(queue: Int(value))
        case MMIORegister.interruptACK: interrupt.acknowledge(value)
        case MMIORegister.status: setStatusLocked(value)
        case MMIORegister.sharedMemorySelect: break
        default:
            reportFault("write of read-only or unknown register 0x\(String(offset, radix: 16))")
        }
    }

    private func setDriverFeaturesLocked(_ value: UInt32) {
        guard status.contains(.driver), !status.contains(.featuresOK) else {
            reportFault("DriverFeatures written in status 0x\(String(status.rawValue, radix: 16))")
            return
        }
        switch driverFeaturesSelect {
        case 0: driverFeatures = (driverFeatures & 0xFFFF_FFFF_0000_0000) | UInt64(value)
        case 1: driverFeatures = (driverFeatures & 0x0000_0000_FFFF_FFFF) | (UInt64(value) << 32)
        default:
            if value != 0 { reportFault("DriverFeatures word \(driverFeaturesSelect) set to 0x\(String(value, radix: 16))") }
        }
    }

    /// Queue registers may change only between FEATURES_OK and DRIVER_OK (virtio 1.2 §3.1.1).
    private func setQueueRegisterLocked(_ offset: Int, _ value: UInt32) {
        guard status.contains(.featuresOK), !status.contains(.driverOK), !status.contains(.failed) else {
            reportFault("queue register 0x\(String(offset, radix: 16)) written in status 0x\(String(status.rawValue, radix: 16))")
            return
        }
        guard let index = selectedQueue else {
            reportFault("queue register 0x\(String(offset, radix: 16)) written for absent queue \(queueSelect)")
            return
        }
        switch offset {
        case MMIORegister.queueNum: queues[index].size = UInt16(truncatingIfNeeded: min(value, 0xFFFF))
        case MMIORegister.queueReady: queues[index].isReady = value == 1
        case MMIORegister.queueDescriptorLow: Self.setHalf(&queues[index].descriptorTableAddress, select: 0, value)
        case MMIORegister.queueDescriptorHigh: Self.setHalf(&queues[index].descriptorTableAddress, select: 1, value)
        case MMIORegister.queueDriverLow: Self.setHalf(&queues[index].availableRingAddress, select: 0, value)
        case MMIORegister.queueDriverHigh: Self.setHalf(&queues[index].availableRingAddress, select: 1, value)
        case MMIORegister.queueDeviceLow: Self.setHalf(&queues[index].usedRingAddress, select: 0, value)
        case MMIORegister.queueDeviceHigh: Self.setHalf(&queues[index].usedRingAddress, select: 1, value)
        default: break
        }
    }

    static func half(_ value: UInt64, select: UInt32) -> UInt32 {
        switch select {
        case 0: return UInt32(truncatingIfNeeded: value)
        case 1: return UInt32(truncatingIfNeeded: value >> 32)
        default: return 0
        }
    }

    static func setHalf(_ value: inout UInt64, select: Int, _ half: UInt32) {
        if select == 0 {
            value = (value & 0xFFFF_FFFF_0000_0000) | UInt64(half)
        } else {
            value = (value & 0x0000_0000_FFFF_FFFF) | (UInt64(half) << 32)
        }
    }
}
