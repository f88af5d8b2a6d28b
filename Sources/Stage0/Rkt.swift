import ArgumentParser

/// The `rkt` command tree. Global options (`--dir`, `--debug`, `--insecure-options`, the three config
/// directories) are accepted before or after the subcommand name.
struct Rkt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkt",
        abstract: "rkt, the pod-native container engine — in Swift, with micro-VM isolation first.",
        version: RktVersion.version,
        subcommands: [
            RunCommand.self,
            PrepareCommand.self,
            RunPreparedCommand.self,
            ListCommand.self,
            StatusCommand.self,
            CatManifestCommand.self,
            StopCommand.self,
            RemoveCommand.self,
            GarbageCollectCommand.self,
            EnterCommand.self,
            LogsCommand.self,
            ExportCommand.self,
            FetchCommand.self,
            ImageCommand.self,
            TrustCommand.self,
            ConfigCommand.self,
            VersionCommand.self,
        ]
    )
}
