/// A vsock device or backend that cannot be set up as asked.
public enum VsockConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidGuestCID(UInt64)
    case socketPathTooLong(String)

    public var description: String {
        switch self {
        case let .invalidGuestCID(cid): return "vsock guest CID \(cid) is invalid (use 3 ... 4294967294)"
        case let .socketPathTooLong(path): return "vsock socket path \(path) is longer than a Unix socket allows"
        }
    }
}
