/// Failures of the pod machinery; each names the pod or path concerned.
public enum PodError: Error, CustomStringConvertible, Equatable {
    case notFound(String)
    case ambiguous(String, candidates: [String])
    case invalidUUID(String)
    case wrongState(uuid: String, state: PodState, expected: String)
    case busy(String)
    case invalidFile(path: String, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .notFound(let uuid): return "no pod matches \(uuid)"
        case .ambiguous(let uuid, let candidates):
            return "pod UUID prefix \(uuid) is ambiguous: \(candidates.joined(separator: ", "))"
        case .invalidUUID(let text): return "\(text) is not a valid pod UUID (or UUID prefix)"
        case .wrongState(let uuid, let state, let expected):
            return "pod \(uuid) is \(state.rawValue), expected \(expected)"
        case .busy(let uuid): return "pod \(uuid) is in use by another rkt process"
        case .invalidFile(let path, let reason): return "\(path): \(reason)"
        case .invalidArgument(let text): return text
        }
    }
}
