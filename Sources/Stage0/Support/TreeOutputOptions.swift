import ArgumentParser
import LinuxSupport

/// Options shared by `rkt image extract` and `rkt image render`.
struct TreeOutputOptions: ParsableArguments {
    @Flag(help: "Write only the rootfs contents into the directory (no manifest).")
    var rootfsOnly = false

    @Flag(help: "Replace the destination directory if it exists.")
    var overwrite = false

    /// Refuses an existing non-empty destination unless --overwrite, which removes it first.
    func prepare(_ directory: String) throws {
        guard FileSystem.exists(directory) else { return }
        if overwrite {
            try FileSystem.removeTree(directory)
        } else if FileSystem.isDirectory(directory), try FileSystem.entries(of: directory).isEmpty {
            return
        } else {
            throw CommandFailure(message: "\(directory) already exists (use --overwrite to replace it)")
        }
    }
}
