/// A pod's state, derived (as in rkt) from the directory it sits in plus whether its lock is held.
public enum PodState: String, Sendable, CaseIterable {
    case embryo
    case preparing
    case abortedPrepare = "aborted prepare"
    case prepared
    case running
    case exited
    case deleting
    case exitedGarbage = "exited garbage"
    case garbage

    /// The state of a pod found in `directory` whose lock is (or is not) held by another process.
    public init(directory: PodLayout.Directory, locked: Bool) {
        switch directory {
        case .embryo: self = .embryo
        case .prepare: self = locked ? .preparing : .abortedPrepare
        case .prepared: self = .prepared
        case .run: self = locked ? .running : .exited
        case .exitedGarbage: self = locked ? .deleting : .exitedGarbage
        case .garbage: self = locked ? .deleting : .garbage
        }
    }

    /// Whether the pod has run and stopped (its exit statuses are final).
    public var hasExited: Bool { self == .exited || self == .exitedGarbage }
}
