import ArgumentParser
import ImageStore
import LinuxSupport

/// The arguments and options shared by `rkt image extract` and `rkt image render`.
struct TreeOutputOptions: ParsableArguments {
    @Flag(help: "Write only the rootfs contents into the directory (no manifest).")
    var rootfsOnly = false

    @Flag(help: "Replace the destination directory if it exists.")
    var overwrite = false

    @Argument(help: "Image ID or name[:version].")
    var image: String

    @Argument(help: "Destination directory.")
    var directory: String

    /// Writes the image's files (and, when asked, its dependencies beneath them) into the directory.
    func write(using store: ImageStore, withDependencies: Bool) throws {
        let record = try store.resolve(image)
        try prepareDestination()
        if withDependencies {
            try store.render(record, into: directory, rootfsOnly: rootfsOnly)
        } else {
            try store.extract(record, into: directory, rootfsOnly: rootfsOnly)
        }
    }

    /// Refuses an existing non-empty destination unless --overwrite, which removes it first.
    private func prepareDestination() throws {
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
