/// Why a config or message from the other side of the VM boundary was refused.
public enum GuestProtocolError: Error, Equatable, CustomStringConvertible {
    case lineTooLong(Int)
    case malformed(String)
    /// A line of the config or a message that does not fit the format: line number (1-based), what is wrong.
    case invalid(line: Int, String)

    public var description: String {
        switch self {
        case .lineTooLong(let length): "line of \(length) bytes exceeds \(GuestRecordLine.maximumLength)"
        case .malformed(let why): why
        case .invalid(let line, let why): "line \(line): \(why)"
        }
    }
}
