import ArgumentParser

/// `rkt image …`: operate on the local image store.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Operate on image(s) in the local store.",
        subcommands: [
            ImageListCommand.self,
            ImageCatManifestCommand.self,
            ImageRemoveCommand.self,
            ImageExportCommand.self,
            ImageExtractCommand.self,
            ImageRenderCommand.self,
            ImageGarbageCollectCommand.self,
            ImageVerifyCommand.self,
        ]
    )
}
