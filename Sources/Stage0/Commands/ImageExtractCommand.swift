import ArgumentParser
import ImageStore

/// `rkt image extract IMAGE DIR`: the image's own files (manifest and rootfs), without dependencies.
struct ImageExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract a stored image to a directory (without rendering its dependencies).")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: TreeOutputOptions

    @Argument(help: "Image ID or name[:version].")
    var image: String

    @Argument(help: "Destination directory.")
    var directory: String

    func run() throws {
        let store = try globals.openStore()
        let record = try store.resolve(image)
        try output.prepare(directory)
        try store.extract(record, into: directory, rootfsOnly: output.rootfsOnly)
    }
}

/// `rkt image render IMAGE DIR`: the image with its dependencies layered beneath it, as a pod sees it.
struct ImageRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a stored image (with its dependencies) to a directory.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: TreeOutputOptions

    @Argument(help: "Image ID or name[:version].")
    var image: String

    @Argument(help: "Destination directory.")
    var directory: String

    func run() throws {
        let store = try globals.openStore()
        let record = try store.resolve(image)
        try output.prepare(directory)
        try store.render(record, into: directory, rootfsOnly: output.rootfsOnly)
    }
}
