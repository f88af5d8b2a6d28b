/// Why the VMM's jail cannot be planned or entered (system call failures are `SystemError`s naming the step).
public enum VMMJailError: Error, Equatable, CustomStringConvertible, Sendable {
    case relativeWorkingDirectory(String)
    case emptySocketPath
    case socketIsRoot(String)
    case socketDirectoryIsRoot(String)
    case parentComponent(String)
    case nulByte(String)
    /// Namespaces are per thread: a thread started before the jail would stay outside it.
    case threadsAlreadyRunning(Int)

    public var description: String {
        switch self {
        case let .relativeWorkingDirectory(path):
            return "jail: the working directory must be absolute, got \(path)"
        case .emptySocketPath:
            return "jail: a socket path is empty"
        case let .socketIsRoot(path):
            return "jail: socket path \(path) names the root directory"
        case let .socketDirectoryIsRoot(path):
            return "jail: socket \(path) is in the root directory, which the jail would have to bind whole; put it in a directory of its own"
        case let .parentComponent(path):
            return "jail: path \(path) has a '..' component; give the path without it"
        case let .nulByte(path):
            return "jail: path \(path.debugDescription) contains a NUL byte"
        case let .threadsAlreadyRunning(count):
            return "jail: the VMM has \(count) threads before entering its jail; namespaces are per thread, so it must be entered with one"
        }
    }
}
