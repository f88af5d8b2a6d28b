extension MMIOTransport {
    /// The Status register's state machine (virtio 1.2 §3.1.1): 0 resets; otherwise the driver only adds bits,
    /// in the order ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK. FEATURES_OK sticks only when the accepted
    /// features are a subset of the offer and include VERSION_1 (the driver reads Status back to learn that);
    /// DRIVER_OK validates the ready queues and activates the device.
    func setStatusLocked(_ value: UInt32) {
        if value == 0 {
            resetLocked()
            return
        }
        let requested = DeviceStatus(rawValue: value).subtracting(.deviceNeedsReset)
        let current = status.subtracting(.deviceNeedsReset)
        guard requested.isSuperset(of: current) else {
            reportFault("Status 0x\(String(value, radix: 16)) clears bits of 0x\(String(status.rawValue, radix: 16)) without a reset")
            return
        }
        var added = requested.subtracting(current)
        if added.contains(.failed) {
            status.insert(.failed)
            added.remove(.failed)
        }
        if added.contains(.acknowledge) { status.insert(.acknowledge) }
        if added.contains(.driver) {
            guard status.contains(.acknowledge) else { return refuse(.driver, "before ACKNOWLEDGE") }
            status.insert(.driver)
        }
        if added.contains(.featuresOK) {
            guard status.contains(.driver) else { return refuse(.featuresOK, "before DRIVER") }
            let offered = device.deviceFeatures
            guard driverFeatures & ~offered == 0 else {
                return refuse(.featuresOK, "features 0x\(String(driverFeatures & ~offered, radix: 16)) were not offered")
            }
            guard driverFeatures & VirtioFeatures.version1 != 0 else {
                return refuse(.featuresOK, "VIRTIO_F_VERSION_1 was not accepted (legacy drivers are not supported)")
            }
            status.insert(.featuresOK)
        }
        if added.contains(.driverOK) {
            guard status.contains(.featuresOK) else { return refuse(.driverOK, "before FEATURES_OK") }
            status.insert(.driverOK)
            activateLocked()
        }
    }

    private func refuse(_ bit: DeviceStatus, _ reason: String) {
        reportFault("Status bit 0x\(String(bit.rawValue, radix: 16)) refused: \(reason)")
    }

    private func activateLocked() {
        guard !status.contains(.failed) else { return }
        var configured = queues
        for index in configured.indices {
            configured[index].eventIndexEnabled = driverFeatures & VirtioFeatures.ringEventIndex != 0
            configured[index].indirectDescriptorsEnabled = driverFeatures & VirtioFeatures.ringIndirectDescriptors != 0
            guard configured[index].isReady else { continue }
            do {
                try configured[index].validate(in: memory)
            } catch {
                return markNeedsReset("queue \(index): \(error)")
            }
        }
        do {
            try device.activate(memory: memory, queues: configured, features: driverFeatures, interrupt: interrupt)
            queues = configured
            isActive = true
        } catch {
            markNeedsReset("activation failed: \(error)")
        }
    }
}
