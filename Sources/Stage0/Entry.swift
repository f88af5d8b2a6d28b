import ArgumentParser
import Foundation

/// Process entry: rkt's own failures exit with status 254 and a `rkt: …` message on stderr, as rkt does.
@main
enum Entry {
    static let failureStatus: Int32 = 254

    static func main() {
        let arguments = StatusCommand.normalizingOptionalValues(
            ArgumentReordering.movingLeadingGlobalOptions(Array(CommandLine.arguments.dropFirst())))
        do {
            var command = try Rkt.parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(report(error))
        }
    }

    /// Prints what the user needs to see about `error` and returns the process exit status.
    static func report(_ error: Error) -> Int32 {
        if let failure = error as? CommandFailure {
            if !failure.message.isEmpty { FileHandle.standardError.write("rkt: \(failure.message)\n") }
            return failure.status
        }
        let code = Rkt.exitCode(for: error)
        if code == .success {
            print(Rkt.fullMessage(for: error))
            return 0
        }
        FileHandle.standardError.write("rkt: \(Rkt.message(for: error))\n")
        if code == .validationFailure {
            FileHandle.standardError.write("Run with --help for usage.\n")
        }
        return failureStatus
    }
}

/// A failure whose message is already written for the user; `status` is the process exit status.
struct CommandFailure: Error {
    var message: String
    var status: Int32 = Entry.failureStatus
}

extension FileHandle {
    func write(_ text: String) {
        write(Data(text.utf8))
    }
}
