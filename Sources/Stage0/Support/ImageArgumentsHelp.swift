import ArgumentParser

/// `rkt run` and `rkt prepare` capture everything from the first image on for rkt's own image/app-flag syntax,
/// so the argument parser never sees a `--help` or `-h` placed before the first image (they are the first
/// unrecognised argument and start the capture). Either there asks for the command's help, as with every other
/// command.
enum ImageArgumentsHelp {
    static let flags: Set<String> = ["--help", "-h"]

    static func check(_ images: [String], for command: ParsableCommand.Type) throws {
        if let first = images.first, flags.contains(first) { throw CleanExit.helpRequest(command) }
    }
}
