/// The `op` field of a virtio-vsock packet header (VIRTIO_VSOCK_OP_*).
public enum VsockOperation: UInt16, Sendable, CustomStringConvertible {
    case request = 1
    case response = 2
    case reset = 3
    case shutdown = 4
    case readWrite = 5
    case creditUpdate = 6
    case creditRequest = 7

    public var description: String {
        switch self {
        case .request: return "REQUEST"
        case .response: return "RESPONSE"
        case .reset: return "RST"
        case .shutdown: return "SHUTDOWN"
        case .readWrite: return "RW"
        case .creditUpdate: return "CREDIT_UPDATE"
        case .creditRequest: return "CREDIT_REQUEST"
        }
    }
}
