import ArgumentParser
import VMM

/// `--seccomp off|log|kill`.
enum SeccompArgument: String, ExpressibleByArgument {
    case off, log, kill

    var mode: VMMSeccompFilter.Mode? {
        switch self {
        case .off: return nil
        case .log: return .log
        case .kill: return .kill
        }
    }
}
