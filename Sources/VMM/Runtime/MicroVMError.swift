/// Misuse of a `MicroVM`.
public enum MicroVMError: Error, Equatable, CustomStringConvertible, Sendable {
    case alreadyRan

    public var description: String {
        switch self {
        case .alreadyRan: return "MicroVM.run() was called twice: a machine runs once"
        }
    }
}
