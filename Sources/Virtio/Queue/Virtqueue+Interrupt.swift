extension Virtqueue {
    /// After a device put `completed` chains on the used ring: interrupts the driver unless none were completed
    /// or the driver suppressed the notification (EVENT_IDX `used_event`, or VIRTQ_AVAIL_F_NO_INTERRUPT).
    public mutating func signalUsed(completed: Int, in memory: GuestMemory, interrupt: VirtioInterrupt) throws {
        guard completed > 0, try needsNotification(in: memory) else { return }
        try interrupt.signalUsedBuffers()
    }
}
