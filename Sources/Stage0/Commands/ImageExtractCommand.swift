import ArgumentParser

/// `rkt image extract IMAGE DIR`: the image's own files (manifest and rootfs), without dependencies.
struct ImageExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract a stored image to a directory (without rendering its dependencies).")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: TreeOutputOptions

    func run() throws {
        try output.write(using: globals.openStore(), withDependencies: false)
    }
}

/// `rkt image render IMAGE DIR`: the image with its dependencies layered beneath it, as a pod sees it.
struct ImageRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a stored image (with its dependencies) to a directory.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: TreeOutputOptions

    func run() throws {
        try output.write(using: globals.openStore(), withDependencies: true)
    }
}
