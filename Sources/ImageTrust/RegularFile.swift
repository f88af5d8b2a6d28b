#if canImport(Glibc)
import Glibc
#endif

/// Size checks for the small files GnuPG is given (key files, signatures), following symlinks like `open`.
enum RegularFile {
    enum Problem: Equatable {
        case missing, notRegular, empty, tooLarge(Int64)
    }

    /// The file's size when it is a non-empty regular file of at most `limit` bytes.
    static func check(_ path: String, limit: Int) -> Result<Int64, ProblemError> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(ProblemError(problem: .missing, limit: limit)) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(ProblemError(problem: .notRegular, limit: limit)) }
        let size = Int64(info.st_size)
        guard size > 0 else { return .failure(ProblemError(problem: .empty, limit: limit)) }
        guard size <= Int64(limit) else { return .failure(ProblemError(problem: .tooLarge(size), limit: limit)) }
        return .success(size)
    }

    struct ProblemError: Error {
        let problem: Problem
        let limit: Int

        var reason: String {
            switch problem {
            case .missing: return "no such file"
            case .notRegular: return "not a regular file"
            case .empty: return "the file is empty"
            case let .tooLarge(size): return "\(size) bytes is larger than the \(limit)-byte limit"
            }
        }
    }
}
