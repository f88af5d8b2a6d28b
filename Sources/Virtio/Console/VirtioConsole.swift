/// Constants of the virtio console device (virtio 1.2 §5.3), single port, no MULTIPORT.
public enum VirtioConsole {
    /// Queue 0: the guest's input (host → guest); the driver posts writable buffers here.
    public static let receiveQueue = 0
    /// Queue 1: the guest's output (guest → host); the driver posts readable buffers here.
    public static let transmitQueue = 1
    /// struct virtio_console_config {cols u16, rows u16, max_nr_ports u32, emerg_wr u32}; all zero without
    /// VIRTIO_CONSOLE_F_SIZE / MULTIPORT / EMERG_WRITE, which we do not offer.
    static let configLength = 12
}
