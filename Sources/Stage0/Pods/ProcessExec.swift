import Foundation
import LinuxSupport

/// Replaces this process with another program (execve), as stage0 does to become a pod's stage1.
enum ProcessExec {
    static func replace(program: String, arguments: [String], environment: [String]) throws -> Never {
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
        let argv = cStrings(arguments), envp = cStrings(environment)
        fflush(nil)
        execve(program, argv, envp)
        let error = SystemError.current("exec", path: program)
        for pointer in argv + envp { free(pointer) }
        throw CommandFailure(message: "\(error)")
    }
}
